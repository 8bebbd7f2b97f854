using System;

namespace Instrumentation.OpenClaw.Input;

/// <summary><c>before_tool_call</c> or <c>after_tool_call</c> (docs/openclaw-hooks.md §2.3).</summary>
internal sealed class ToolCallEvent : HookEvent
{
    public ToolCallEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, bool isEnd)
        : base(hook, time, context, position)
    {
        IsEnd = isEnd;
    }

    public bool IsEnd { get; }

    public string? RunId { get; init; }

    public string? ToolCallId { get; init; }

    public required string ToolName { get; init; }

    /// <summary><c>params</c> as JSON text.</summary>
    public string? ParamsJson { get; init; }

    /// <summary><c>result</c> as JSON text (after only).</summary>
    public string? ResultJson { get; init; }

    /// <summary><c>error</c>: set when the tool failed; a non-zero <c>exec</c> exit is not an error (§5.14).</summary>
    public string? Error { get; init; }

    public long? DurationMs { get; init; }

    /// <summary><c>result.details.exitCode</c>.</summary>
    public long? ExitCode { get; init; }

    /// <summary><c>result.details.runId</c> of an accepted <c>sessions_spawn</c>: the child run.</summary>
    public string? SpawnedRunId { get; init; }

    /// <summary><c>result.details.childSessionKey</c> of <c>sessions_spawn</c>.</summary>
    public string? SpawnedSessionKey { get; init; }
}

/// <summary><c>tool_result_persist</c>: the tool result message, matched to its call by (sessionKey, toolCallId).</summary>
internal sealed class ToolResultPersistEvent : HookEvent
{
    public ToolResultPersistEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position)
        : base(hook, time, context, position)
    {
    }

    public string? ToolCallId { get; init; }

    public string? ToolName { get; init; }

    public TranscriptMessage? Message { get; init; }

    public bool IsSynthetic { get; init; }
}

/// <summary><c>before_message_write</c>: a transcript message; its ctx has only the session key (§0.5).</summary>
internal sealed class MessageWriteEvent : HookEvent
{
    public MessageWriteEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, TranscriptMessage message)
        : base(hook, time, context, position)
    {
        Message = message;
    }

    public TranscriptMessage Message { get; }
}
