using System;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads the tool hooks (docs/openclaw-hooks.md §4, row "TOOL"): <c>before_tool_call</c>, <c>after_tool_call</c> (with
/// the <c>sessions_spawn</c> result's child run in <c>result.details</c>) and <c>tool_result_persist</c>.
/// </summary>
internal static class ToolHookReader
{
    /// <summary>The event of a tool hook; <see langword="null"/> for a hook of another family.</summary>
    public static HookEvent? Read(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e) => hook switch
    {
        HookNames.BeforeToolCall or HookNames.AfterToolCall => ReadToolCall(hook, time, ctx, position, e),
        HookNames.ToolResultPersist => new ToolResultPersistEvent(hook, time, ctx, position)
        {
            ToolCallId = e.String("toolCallId") ?? ctx.ToolCallId,
            ToolName = e.String("toolName") ?? ctx.ToolName,
            Message = TranscriptMessageReader.ParseMessage(e.Object("message")),
            IsSynthetic = e.Bool("isSynthetic") == true,
        },
        _ => null,
    };

    /// <summary><c>error</c> as a string, or the <c>message</c> of an <c>error</c> object (tool hooks and
    /// <c>provider_call</c> records spell it both ways).</summary>
    public static string? ErrorMessage(JsonElement e) => e.String("error") ?? e.Object("error").String("message");

    private static ToolCallEvent ReadToolCall(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        var details = e.Object("result").Object("details");
        return new ToolCallEvent(hook, time, ctx, position, hook == HookNames.AfterToolCall)
        {
            RunId = e.String("runId") ?? ctx.RunId,
            ToolCallId = e.String("toolCallId") ?? ctx.ToolCallId,
            ToolName = e.String("toolName") ?? ctx.ToolName ?? "tool",
            ParamsJson = e.RawJson("params"),
            ResultJson = e.RawJson("result"),
            Error = ErrorMessage(e),
            DurationMs = e.Int64("durationMs"),
            ExitCode = details.Int64("exitCode"),
            SpawnedRunId = details.String("runId"),
            SpawnedSessionKey = details.String("childSessionKey"),
        };
    }
}
