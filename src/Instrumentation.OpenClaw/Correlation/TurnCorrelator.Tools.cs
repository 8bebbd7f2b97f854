// TOOL spans (docs/openclaw-hooks.md §4, row "TOOL"): before_tool_call / after_tool_call paired on (runId, toolCallId),
// since parallel calls interleave and ids are unique only within a session (§0.6); tool_result_persist has no run
// id and is matched on (sessionKey, toolCallId).

using System;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
    /// <summary>Tool triplets keyed <c>(runId, toolCallId)</c> (§0.6: parallel calls interleave, ids are only unique
    /// within a session).</summary>
    private void OnToolCall(ToolCallEvent record)
    {
        if (Turn(record.RunId, record) is not { } turn)
        {
            return;
        }

        var id = record.ToolCallId ?? SyntheticToolCallId(turn, record);
        if (!turn.ToolsById.TryGetValue(id, out var tool))
        {
            var attempt = record.IsEnd ? AttemptForEnd(turn, record) : AttemptForStart(turn, record);
            tool = new ToolCallBuilder(id, record.ToolName, attempt);
            turn.ToolsById.Add(id, tool);
            attempt.Tools.Add(tool);
        }

        if (record.IsEnd)
        {
            tool.After ??= record;
            if (record.ToolName == SpawnToolName && record.Error is null && record.SpawnedRunId is { } childRunId)
            {
                ConfirmSpawn(turn, tool, childRunId, record.SpawnedSessionKey, record.Time);
            }
        }
        else
        {
            tool.Before ??= record;
        }

        CheckCompletion(turn);
    }

    private static string SyntheticToolCallId(TurnBuilder turn, ToolCallEvent record)
    {
        // No toolCallId: pair before/after first-in-first-out by tool name.
        if (record.IsEnd)
        {
            foreach (var tool in turn.ToolsById.Values)
            {
                if (tool.ToolName == record.ToolName && tool.After is null && tool.ToolCallId.StartsWith("?", StringComparison.Ordinal))
                {
                    return tool.ToolCallId;
                }
            }
        }

        return "?" + record.ToolName + "#" + turn.ToolsById.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private void OnToolResultPersist(ToolResultPersistEvent persisted)
    {
        if (persisted.ToolCallId is { } toolCallId && persisted.Context.SessionKey is { } key && _sessions.TryGetValue(key, out var turns))
        {
            foreach (var turn in turns)
            {
                if (turn.ToolsById.TryGetValue(toolCallId, out var tool))
                {
                    tool.Persisted ??= persisted;
                    Touch(turn, persisted);
                    return;
                }
            }
        }

        _stats.UnattributedEvents++;
    }
}
