using System;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// One hook line of the bridge's input (docs/openclaw-bridge.md, "Input format"): which hook fired, when the recorder
/// received it, and where the line came from. The typed payloads the replay reads are internal; every other hook is
/// kept as an <see cref="IgnoredHookEvent"/>.
/// </summary>
public abstract class HookEvent
{
    private protected HookEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position)
    {
        Hook = hook;
        Time = time;
        Context = context;
        Position = position;
    }

    /// <summary>The hook name as the line gives it (<c>model_call_started</c>, ...; see <see cref="HookNames"/>).</summary>
    public string Hook { get; }

    /// <summary>When the recorder received the hook, in UTC: <c>tsMs</c> (Unix milliseconds, fractions kept to 100 ns),
    /// else <c>ts</c> (ISO 8601).</summary>
    public DateTimeOffset Time { get; }

    /// <summary>The line's <c>ctx</c> fields the bridge uses; <see cref="HookContext.Empty"/> when the line has no
    /// <c>ctx</c> object.</summary>
    public HookContext Context { get; }

    /// <summary>The file and line the event was read from.</summary>
    public SourcePosition Position { get; }
}

/// <summary>A line's origin, for messages about it; <see cref="ToString"/> gives <c>file:line</c>.</summary>
/// <param name="File">The file name as given (or a label such as <c>&lt;stdin&gt;</c>).</param>
/// <param name="Line">The 1-based line number (in <c>follow</c>, within the current file).</param>
public readonly record struct SourcePosition(string File, long Line)
{
    /// <summary>The position as <c>file:line</c>, for example <c>gateway.jsonl:12</c>.</summary>
    public override string ToString() => File + ":" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The <c>ctx</c> fields of a hook line that the bridge correlates on (docs/openclaw-hooks.md §2.1 and §4). Which are
/// set depends on the hook: <c>before_message_write</c> has only the session key, <c>tool_result_persist</c> no run id.
/// Every field is the line's string as written, or <see langword="null"/> when it is absent, <c>null</c> or not a
/// string.
/// </summary>
public sealed class HookContext
{
    /// <summary>An empty context.</summary>
    public static HookContext Empty { get; } = new();

    /// <summary><c>ctx.runId</c>: the user turn (stable across retries); for <c>subagent_*</c> hooks, the child run.</summary>
    public string? RunId { get; init; }

    /// <summary><c>ctx.sessionKey</c>.</summary>
    public string? SessionKey { get; init; }

    /// <summary><c>ctx.sessionId</c>.</summary>
    public string? SessionId { get; init; }

    /// <summary><c>ctx.agentId</c>.</summary>
    public string? AgentId { get; init; }

    /// <summary><c>ctx.trace.traceId</c> (else <c>ctx.traceId</c>): OpenClaw's W3C trace id, 32 hex digits.</summary>
    public string? TraceId { get; init; }

    /// <summary><c>ctx.trace.spanId</c> (else <c>ctx.spanId</c>): OpenClaw's span, 16 hex digits (per attempt for agent
    /// hooks, per call for model calls).</summary>
    public string? SpanId { get; init; }

    /// <summary><c>ctx.trace.parentSpanId</c> (else <c>ctx.parentSpanId</c>), 16 hex digits.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary><c>ctx.toolCallId</c>.</summary>
    public string? ToolCallId { get; init; }

    /// <summary><c>ctx.toolName</c>.</summary>
    public string? ToolName { get; init; }

    /// <summary><c>ctx.childSessionKey</c> (sub-agent hooks).</summary>
    public string? ChildSessionKey { get; init; }

    /// <summary><c>ctx.requesterSessionKey</c> (sub-agent hooks): the parent session.</summary>
    public string? RequesterSessionKey { get; init; }

    /// <summary><c>ctx.modelProviderId</c>.</summary>
    public string? ModelProviderId { get; init; }

    /// <summary><c>ctx.modelId</c>.</summary>
    public string? ModelId { get; init; }

    /// <summary><c>ctx.trigger</c> (<c>user</c>, <c>cron</c>, <c>heartbeat</c>, ...).</summary>
    public string? Trigger { get; init; }

    /// <summary><c>ctx.channel</c>, or <c>ctx.channelId</c>.</summary>
    public string? Channel { get; init; }
}

/// <summary>A hook the replay does not use (gateway, cron, session, message hooks...), kept as its name only.</summary>
public sealed class IgnoredHookEvent : HookEvent
{
    internal IgnoredHookEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, bool isKnown)
        : base(hook, time, context, position)
    {
        IsKnownHook = isKnown;
    }

    /// <summary>Whether the name is an OpenClaw hook (or the recorder's registration line); unknown names are counted.</summary>
    public bool IsKnownHook { get; }
}
