// What Correlation hands downstream: a complete turn, frozen. Built once from the builders of TurnBuilders.cs when the
// turn completes (TurnFreezer.cs); Scheduling and Emission read only these types. Every member is get-only or init-only
// and every collection immutable, so no later event can change a turn already handed over: what can still change about
// a sub-agent link after that arrives as a new SubagentLinkSnapshot of its own (ITurnSink.LinkChanged).

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>What a run is to the trace.</summary>
internal enum TurnKind
{
    /// <summary>A user turn (or cron/heartbeat turn): the root of its own trace.</summary>
    User,

    /// <summary>A sub-agent child run, nested under the spawning <c>sessions_spawn</c> tool call.</summary>
    Subagent,

    /// <summary>The announce run (<c>announce:v1:&lt;childSessionKey&gt;:&lt;childRunId&gt;</c>) nested under the parent turn.</summary>
    Announce,
}

/// <summary>
/// One complete OpenClaw run (<c>ctx.runId</c>; docs/openclaw-hooks.md §4): its attempts, their calls and messages, and
/// its sub-agent links as they stood when the run completed, with the provider calls linked and each attempt's and
/// call's outcome decided.
/// </summary>
internal sealed record CompletedTurn
{
    public required string RunId { get; init; }

    public required TurnKind Kind { get; init; }

    public string? SessionKey { get; init; }

    public string? SessionId { get; init; }

    public string? AgentId { get; init; }

    public string? Trigger { get; init; }

    public string? Channel { get; init; }

    /// <summary>OpenClaw's W3C trace id for the run, first seen.</summary>
    public string? OpenClawTraceId { get; init; }

    public required DateTimeOffset FirstEventTime { get; init; }

    public required DateTimeOffset LastEventTime { get; init; }

    /// <summary>Whether the run's first hook (<c>before_agent_reply</c>) was seen; otherwise the stream began mid-turn.</summary>
    public bool StartObserved { get; init; }

    /// <summary>What the user asked: <c>before_agent_reply.cleanedBody</c>, else <c>before_model_resolve.prompt</c>.</summary>
    public string? UserText { get; init; }

    public string? ResolvedModelRef { get; init; }

    /// <summary>The attempts, in order (a turn with anything to show has at least one).</summary>
    public required ImmutableArray<CompletedAttempt> Attempts { get; init; }

    public CompletedAttempt? LastAttempt => Attempts.IsEmpty ? null : Attempts[^1];

    /// <summary>Tool descriptions by tool name, from <c>llm_input</c>.</summary>
    public IReadOnlyDictionary<string, string>? ToolDescriptions { get; init; }

    /// <summary>For a sub-agent or announce run: the link to its parent.</summary>
    public SubagentLinkSnapshot? Link { get; init; }

    /// <summary>For an announce run: the child run it announces.</summary>
    public string? AnnouncedChildRunId { get; init; }

    /// <summary>The links of the sub-agent runs this run spawned (a link may since have moved to another parent: its
    /// <see cref="SubagentLinkSnapshot.ParentRunId"/> says).</summary>
    public required ImmutableArray<SubagentLinkSnapshot> ChildLinks { get; init; }

    /// <summary><see langword="null"/> for a run whose end was observed; else why it was closed without one.</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>This turn with <paramref name="link"/> in place of the older snapshot of the same link (its own link,
    /// or one of its children's); the turn itself when it holds no snapshot of that link.</summary>
    public CompletedTurn WithLink(SubagentLinkSnapshot link)
    {
        var own = Link is { } current && ReferenceEquals(current.Identity, link.Identity) ? link : Link;
        var children = ChildLinks;
        for (var i = 0; i < children.Length; i++)
        {
            if (ReferenceEquals(children[i].Identity, link.Identity))
            {
                children = children.SetItem(i, link);
            }
        }

        return ReferenceEquals(own, Link) && children == ChildLinks ? this : this with { Link = own, ChildLinks = children };
    }
}

/// <summary>One attempt of a run (OpenClaw repeats the attempt with the same run id after a transient provider error,
/// §0.8).</summary>
internal sealed record CompletedAttempt
{
    public required int Number { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    /// <summary>The agent-context <c>ctx.trace.spanId</c>, which identifies the attempt (§4).</summary>
    public string? AgentSpanId { get; init; }

    public LlmInputEvent? Input { get; init; }

    public AgentEndEvent? End { get; init; }

    public LlmOutputEvent? Output { get; init; }

    public bool Ended => End is not null;

    /// <summary>The end time: <c>agent_end</c>'s receipt.</summary>
    public DateTimeOffset? EndTime => End?.Time;

    /// <summary>How the attempt failed (<see cref="Outcomes.OfAttempt"/>); <see langword="null"/> when it did not.</summary>
    public Failure? Failure { get; init; }

    public required ImmutableArray<CompletedModelCall> Calls { get; init; }

    public required ImmutableArray<CompletedToolCall> Tools { get; init; }

    /// <summary>Messages written during the attempt, in order: what later calls of the attempt were sent.</summary>
    public required ImmutableArray<CompletedTranscriptEntry> Transcript { get; init; }

    /// <summary>Provider invocations of the attempt that served no model call (<see cref="ProviderCallLinker"/>).</summary>
    public required ImmutableArray<CompletedProviderCall> UnlinkedProviderCalls { get; init; }

    /// <summary>When the attempt's first model call started: user messages written before it are the prompt again.</summary>
    public DateTimeOffset? FirstCallStart { get; init; }
}

/// <summary>A message written to the transcript, when, and whether (and when) the model call it came from started.</summary>
/// <remarks>A reference type compared by reference: two writes of the same text are two entries.</remarks>
internal sealed class CompletedTranscriptEntry
{
    public CompletedTranscriptEntry(TranscriptMessage message, DateTimeOffset writeTime, bool paired, DateTimeOffset? pairedCallStart)
    {
        Message = message;
        WriteTime = writeTime;
        Paired = paired;
        PairedCallStart = pairedCallStart;
    }

    public TranscriptMessage Message { get; }

    public DateTimeOffset WriteTime { get; }

    /// <summary>For an assistant message: whether it was paired with a model call.</summary>
    public bool Paired { get; }

    /// <summary>The start of the model call it was paired with.</summary>
    public DateTimeOffset? PairedCallStart { get; }
}

/// <summary>One provider call: <c>model_call_started</c> + <c>model_call_ended</c>, the assistant message that followed,
/// and the <c>provider_call</c> invocations linked to it.</summary>
internal sealed record CompletedModelCall
{
    public ModelCallEvent? Started { get; init; }

    public ModelCallEvent? Ended { get; init; }

    public string? CallId { get; init; }

    /// <summary>OpenClaw's per-call <c>ctx.trace.spanId</c>.</summary>
    public string? SpanId { get; init; }

    /// <summary>The assistant message paired with the call: the same entry as in its attempt's transcript.</summary>
    public CompletedTranscriptEntry? Message { get; init; }

    public required ImmutableArray<CompletedProviderCall> ProviderCalls { get; init; }

    public bool IsCompaction { get; init; }

    /// <summary>The best-known start: <c>model_call_started</c>, else <c>model_call_ended</c> minus its duration.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>How the call failed (<see cref="Outcomes.OfCall"/>); <see langword="null"/> when it did not.</summary>
    public Failure? Failure { get; init; }
}

/// <summary>The <c>provider_call</c> records of one provider invocation (phases before/chunk/after/error).</summary>
internal sealed record CompletedProviderCall
{
    public required string CallId { get; init; }

    public ProviderCallEvent? Before { get; init; }

    public ProviderCallEvent? FirstChunk { get; init; }

    public ProviderCallEvent? After { get; init; }

    public ProviderCallEvent? Error { get; init; }

    /// <summary>A record of the invocation, the first of before, after, error, chunk.</summary>
    public required ProviderCallEvent Any { get; init; }

    /// <summary>The <c>before</c> record's time, else the end record's minus its duration.</summary>
    public DateTimeOffset? StartTime { get; init; }
}

/// <summary><c>before_tool_call</c> + <c>after_tool_call</c> + <c>tool_result_persist</c> for one <c>(runId, toolCallId)</c>.</summary>
internal sealed record CompletedToolCall
{
    public required string ToolCallId { get; init; }

    public required string ToolName { get; init; }

    public ToolCallEvent? Before { get; init; }

    public ToolCallEvent? After { get; init; }

    public ToolResultPersistEvent? Persisted { get; init; }

    /// <summary>For <c>sessions_spawn</c>: the child run it started.</summary>
    public string? SpawnedRunId { get; init; }
}

/// <summary>
/// A sub-agent link (docs/openclaw-hooks.md §0.7, §4) as it stood at one moment: when a turn holding it completed, or when
/// a later hook (<c>subagent_ended</c> after the child completed, say) changed it. Equal snapshots are the same state.
/// </summary>
internal sealed record SubagentLinkSnapshot
{
    /// <summary>Which link this is a state of: the same object in every snapshot of one link, so Scheduling can key
    /// what it keeps for the link (the parent's span contexts) by it, for as long as anything holds the link.</summary>
    public required LinkIdentity Identity { get; init; }

    public string ChildRunId => Identity.ChildRunId;

    public string? ChildSessionKey { get; init; }

    public string? ParentRunId { get; init; }

    public string? ParentToolCallId { get; init; }

    public string? Label { get; init; }

    public string? Mode { get; init; }

    public string? AgentId { get; init; }

    /// <summary><c>subagent_ended.outcome</c> (or <c>subagent_progress</c>'s): <c>ok</c>, <c>error</c>, <c>timeout</c>, ...</summary>
    public string? Outcome { get; init; }

    public string? EndReason { get; init; }

    public string? EndError { get; init; }

    /// <summary><c>subagent_ended.endedAt</c>.</summary>
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>The identity of one sub-agent link, shared by all its snapshots; compared by reference.</summary>
internal sealed class LinkIdentity
{
    public LinkIdentity(string childRunId)
    {
        ChildRunId = childRunId;
    }

    public string ChildRunId { get; }
}
