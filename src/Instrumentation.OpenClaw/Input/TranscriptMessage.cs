using System;
using System.Collections.Generic;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// A transcript message as OpenClaw writes it (<c>before_message_write</c>, <c>tool_result_persist</c>,
/// <c>llm_input.historyMessages</c>, <c>llm_output.lastAssistant</c>; docs/openclaw-hooks.md §2.2), reduced to what a
/// span shows: text, tool calls, and for assistant messages the per-call usage, stop reason, response id and error.
/// </summary>
internal sealed class TranscriptMessage
{
    /// <summary><c>user</c>, <c>assistant</c>, <c>toolResult</c>, <c>custom</c>, ...</summary>
    public required string Role { get; init; }

    /// <summary>The text blocks joined (images as a placeholder); <see langword="null"/> when there are none.</summary>
    public string? Text { get; init; }

    public IReadOnlyList<TranscriptToolCall>? ToolCalls { get; init; }

    /// <summary>For a tool result: the call it answers.</summary>
    public string? ToolCallId { get; init; }

    public string? ToolName { get; init; }

    public bool? IsError { get; init; }

    /// <summary><c>stop</c>, <c>toolUse</c>, <c>length</c> or <c>error</c>.</summary>
    public string? StopReason { get; init; }

    public string? ResponseId { get; init; }

    public string? ErrorMessage { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorCode { get; init; }

    public string? Model { get; init; }

    public string? Provider { get; init; }

    public string? CustomType { get; init; }

    /// <summary><c>timestamp</c>: for an assistant message, the start of the model call that produced it (±1 ms, §0.5).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    public OpenClawUsage? Usage { get; init; }

    /// <summary><c>details.exitCode</c> of a tool result (the <c>exec</c> tool).</summary>
    public long? ExitCode { get; init; }
}

/// <summary>A <c>{"type":"toolCall","id","name","arguments"}</c> content block.</summary>
internal sealed record TranscriptToolCall(string? Id, string Name, string? ArgumentsJson);

/// <summary>
/// OpenClaw's normalised usage (transcript <c>usage</c>, <c>llm_output.usage</c>): <see cref="Input"/> excludes cached
/// tokens (docs/openclaw-hooks.md §0.9, §5.9). Costs are in USD as OpenClaw computed them from the configured prices.
/// </summary>
internal sealed record OpenClawUsage(
    long? Input,
    long? Output,
    long? CacheRead,
    long? CacheWrite,
    long? ReasoningTokens,
    long? Total,
    decimal? CostInput,
    decimal? CostOutput,
    decimal? CostCacheRead,
    decimal? CostCacheWrite,
    decimal? CostTotal);
