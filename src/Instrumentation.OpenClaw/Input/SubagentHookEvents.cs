using System;

namespace Instrumentation.OpenClaw.Input;

/// <summary>Which sub-agent hook.</summary>
internal enum SubagentHook
{
    /// <summary><c>subagent_spawned</c>.</summary>
    Spawned,

    /// <summary><c>subagent_progress</c> (<c>phase</c> started or ended).</summary>
    Progress,

    /// <summary><c>subagent_ended</c>.</summary>
    Ended,
}

/// <summary>
/// <c>subagent_spawned</c>, <c>subagent_progress</c> or <c>subagent_ended</c> (docs/openclaw-hooks.md §2.4, §0.7): the
/// link keys between a parent run and its child (<see cref="ChildRunId"/> = the child's <c>ctx.runId</c>,
/// <see cref="ChildSessionKey"/> = the child's session key, <see cref="RequesterSessionKey"/> = the parent's session).
/// </summary>
internal sealed class SubagentEvent : HookEvent
{
    public SubagentEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, SubagentHook kind)
        : base(hook, time, context, position)
    {
        Kind = kind;
    }

    public SubagentHook Kind { get; }

    public string? ChildRunId { get; init; }

    /// <summary><c>childSessionKey</c>, or <c>targetSessionKey</c> for <c>subagent_ended</c>.</summary>
    public string? ChildSessionKey { get; init; }

    public string? RequesterSessionKey { get; init; }

    public string? AgentId { get; init; }

    public string? Label { get; init; }

    public string? Mode { get; init; }

    /// <summary><c>subagent_progress.phase</c>.</summary>
    public string? Phase { get; init; }

    public string? Outcome { get; init; }

    public string? Reason { get; init; }

    /// <summary><c>subagent_ended.targetKind</c>: <c>subagent</c>, or <c>acp</c> for the <c>/reset</c> echo.</summary>
    public string? TargetKind { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? EndedAt { get; init; }
}
