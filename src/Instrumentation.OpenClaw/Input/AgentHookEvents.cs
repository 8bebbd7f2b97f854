using System;
using System.Collections.Generic;

namespace Instrumentation.OpenClaw.Input;

/// <summary>The agent-turn hooks that carry no payload the spans need beyond their time and context.</summary>
internal enum RunPhase
{
    /// <summary><c>before_agent_reply</c>: once per turn, first.</summary>
    BeforeAgentReply,

    /// <summary><c>before_model_resolve</c>: once per turn.</summary>
    BeforeModelResolve,

    /// <summary><c>agent_turn_prepare</c>: first hook of an attempt.</summary>
    AgentTurnPrepare,

    /// <summary><c>before_prompt_build</c>.</summary>
    BeforePromptBuild,

    /// <summary><c>before_agent_run</c>.</summary>
    BeforeAgentRun,

    /// <summary><c>before_agent_finalize</c>: the attempt is ending.</summary>
    BeforeAgentFinalize,
}

/// <summary>One of the <see cref="RunPhase"/> hooks.</summary>
internal sealed class RunPhaseEvent : HookEvent
{
    public RunPhaseEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, RunPhase phase, string? userText)
        : base(hook, time, context, position)
    {
        Phase = phase;
        UserText = userText;
    }

    public RunPhase Phase { get; }

    /// <summary><c>before_agent_reply.cleanedBody</c> or <c>before_model_resolve.prompt</c>: what the user asked.</summary>
    public string? UserText { get; }

    /// <summary>Whether this hook fires once per attempt (and so can open one), rather than once per turn.</summary>
    public bool IsAttemptScoped => Phase is RunPhase.AgentTurnPrepare or RunPhase.BeforePromptBuild or RunPhase.BeforeAgentRun;
}

/// <summary><c>llm_input</c>: what the provider is sent for the attempt's first call (docs/openclaw-hooks.md
/// §2.2).</summary>
internal sealed class LlmInputEvent : HookEvent
{
    public LlmInputEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position)
        : base(hook, time, context, position)
    {
    }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public string? SystemPrompt { get; init; }

    public string? Prompt { get; init; }

    public IReadOnlyList<TranscriptMessage> History { get; init; } = System.Array.Empty<TranscriptMessage>();

    /// <summary>Tool name → description, from <c>llm_input.tools</c> (the catalog, §5.8).</summary>
    public IReadOnlyDictionary<string, string>? ToolDescriptions { get; init; }
}

/// <summary><c>llm_output</c>: once per attempt, after <c>agent_end</c>; <see cref="Usage"/> sums the attempt's calls.</summary>
internal sealed class LlmOutputEvent : HookEvent
{
    public LlmOutputEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position)
        : base(hook, time, context, position)
    {
    }

    public string? ResolvedRef { get; init; }

    public IReadOnlyList<string> AssistantTexts { get; init; } = System.Array.Empty<string>();

    public TranscriptMessage? LastAssistant { get; init; }

    /// <summary>The attempt's summed usage (<c>null</c> on a failed attempt, §5.3).</summary>
    public OpenClawUsage? Usage { get; init; }
}

/// <summary><c>model_call_started</c> or <c>model_call_ended</c> (docs/openclaw-hooks.md §2.2).</summary>
internal sealed class ModelCallEvent : HookEvent
{
    public ModelCallEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, bool isEnd)
        : base(hook, time, context, position)
    {
        IsEnd = isEnd;
    }

    public bool IsEnd { get; }

    /// <summary><c>event.runId</c>, else <c>ctx.runId</c>.</summary>
    public string? RunId { get; init; }

    /// <summary><c>"&lt;runId&gt;:model:&lt;n&gt;"</c>; <c>n</c> restarts per attempt (§5.4).</summary>
    public string? CallId { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public string? Api { get; init; }

    public string? Transport { get; init; }

    public long? DurationMs { get; init; }

    /// <summary><c>completed</c> or <c>error</c>.</summary>
    public string? Outcome { get; init; }

    public string? ErrorCategory { get; init; }

    public string? FailureKind { get; init; }

    public long? RequestPayloadBytes { get; init; }

    public long? ResponseStreamBytes { get; init; }

    public long? TimeToFirstByteMs { get; init; }

    public string? UpstreamRequestIdHash { get; init; }

    /// <summary>Whether the call id marks an internal compaction call (<c>:compaction:</c>, §5.7).</summary>
    public bool IsCompaction => CallId?.Contains(":compaction:", StringComparison.Ordinal) == true;
}

/// <summary><c>agent_end</c>: an attempt ended. <see cref="Success"/> is true even after a provider error (§5.5).</summary>
internal sealed class AgentEndEvent : HookEvent
{
    public AgentEndEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position)
        : base(hook, time, context, position)
    {
    }

    public bool? Success { get; init; }

    public string? Error { get; init; }

    public long? DurationMs { get; init; }
}
