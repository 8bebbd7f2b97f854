// TOOL spans, one per (runId, toolCallId) (docs/openclaw-bridge.md, "How spans are derived", TOOL): from
// before_tool_call, after_tool_call and tool_result_persist.

using System;
using System.Diagnostics;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.OpenClaw.Emission;

internal sealed partial class TurnEmitter
{
    /// <summary>
    /// A tool call: starts at <c>before_tool_call</c> and lasts <c>after_tool_call.durationMs</c> (OpenClaw's own
    /// measure), else ends at <c>after_tool_call</c>. <c>error</c> makes it an Error span; a non-zero <c>exec</c> exit is
    /// a successful call with the exit code as an attribute (§5.14).
    /// </summary>
    private ActivityContext EmitTool(CompletedTurn turn, CompletedAttempt attempt, CompletedToolCall tool, ActivityContext parent, DateTimeOffset fallbackEnd, string? incomplete)
    {
        var timing = SpanTiming.Of(
            observedStart: tool.Before?.Time,
            observedEnd: tool.After?.Time,
            durationMs: tool.After?.DurationMs,
            durationSource: TimingSources.AfterToolCallDuration,
            secondaryStart: null,
            secondaryEnd: SourcedTime.Of(tool.Persisted?.Time, TimingSources.ToolResultPersist),
            fallbackStart: tool.After?.Time ?? tool.Persisted?.Time ?? attempt.StartTime,
            fallbackEnd: fallbackEnd);

        string? description = null;
        turn.ToolDescriptions?.TryGetValue(tool.ToolName, out description);
        var span = ToolSpan.Start(tool.ToolName, description, tool.ToolCallId.StartsWith("?", StringComparison.Ordinal) ? null : tool.ToolCallId,
            startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (!span.IsRecording)
        {
            End(span, timing);
            return span.Activity?.Context ?? default;
        }

        span.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
        span.SetAttribute(OpenClawAttributes.SpanId, tool.Before?.Context.SpanId);
        SetCallTiming(span, timing, incomplete);

        var persistedMessage = tool.Persisted?.Message;
        if ((tool.After?.ExitCode ?? persistedMessage?.ExitCode) is { } exitCode)
        {
            span.SetAttribute(OpenClawAttributes.ToolExitCode, exitCode);
        }

        if (persistedMessage?.IsError is { } isError)
        {
            span.SetAttribute(OpenClawAttributes.ToolResultIsError, isError);
        }

        if (tool.Persisted is { IsSynthetic: true })
        {
            span.SetAttribute(OpenClawAttributes.ToolSyntheticResult, true);
        }

        if (tool.SpawnedRunId is { } childRunId)
        {
            span.SetAttribute(OpenClawAttributes.SubagentChildRunId, childRunId);
            span.SetAttribute(OpenClawAttributes.SubagentChildSessionKey, tool.After?.SpawnedSessionKey);
        }

        if (span.CapturesContent)
        {
            var parameters = tool.Before?.ParamsJson ?? tool.After?.ParamsJson;
            if (parameters is not null)
            {
                span.SetInputsJson(parameters.StartsWith('{') ? parameters : WrapInObject("params", parameters));
            }

            if (tool.After?.ResultJson is { } result)
            {
                span.SetOutputJson(result);
            }
            else if (persistedMessage?.Text is { } text)
            {
                span.SetOutput(text);
            }
        }

        if (tool.After?.Error is { } error)
        {
            span.SetError("tool_error", error);
        }
        else if (persistedMessage is { IsError: true })
        {
            span.SetError("tool_error", persistedMessage.Text ?? "the tool result is marked as an error");
        }

        var context = span.Activity?.Context ?? default;
        End(span, timing);
        return context;
    }

    /// <summary><c>{"name": &lt;json&gt;}</c>, for a value MLflow must see inside an object (a tool's inputs); written
    /// with the runtime's JSON buffer, so escaping is the same as in every other span's JSON.</summary>
    /// <exception cref="System.Text.Json.JsonException"><paramref name="json"/> is not JSON.</exception>
    private static string WrapInObject(string name, string json)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            buffer.Writer.WriteStartObject();
            buffer.Writer.WritePropertyName(name);
            buffer.Writer.WriteRawValue(json, skipInputValidation: false);
            buffer.Writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }
}
