using System;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads the sub-agent hooks (docs/openclaw-hooks.md §0.7, §4, row "AGENT (sub-agent)"): <c>subagent_spawned</c>,
/// <c>subagent_progress</c> and <c>subagent_ended</c>, whose field names vary between them (<c>runId</c> or
/// <c>childRunId</c>, <c>childSessionKey</c> or <c>targetSessionKey</c>).
/// </summary>
internal static class SubagentHookReader
{
    /// <summary>The event of a sub-agent hook; <see langword="null"/> for a hook of another family.</summary>
    public static HookEvent? Read(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        SubagentHook? kind = hook switch
        {
            HookNames.SubagentSpawned => SubagentHook.Spawned,
            HookNames.SubagentProgress => SubagentHook.Progress,
            HookNames.SubagentEnded => SubagentHook.Ended,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        return new SubagentEvent(hook, time, ctx, position, kind.Value)
        {
            ChildRunId = e.String("runId") ?? e.String("childRunId") ?? ctx.RunId,
            ChildSessionKey = e.String("childSessionKey") ?? e.String("targetSessionKey") ?? ctx.ChildSessionKey,
            RequesterSessionKey = e.String("requesterSessionKey") ?? ctx.RequesterSessionKey,
            AgentId = e.String("agentId"),
            Label = e.String("label"),
            Mode = e.String("mode"),
            Phase = e.String("phase"),
            Outcome = e.String("outcome"),
            Reason = e.String("reason"),
            TargetKind = e.String("targetKind"),
            Error = e.String("error"),
            EndedAt = e.UnixMs("endedAt"),
        };
    }
}
