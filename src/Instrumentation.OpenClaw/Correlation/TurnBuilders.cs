// The mutable state Correlation folds hook events into while a run is in flight: one builder per run, attempt, model
// call, provider invocation, tool call and transcript message. They never leave Correlation: when a run completes,
// TurnFreezer builds the read-only CompletedTurn (CompletedTurn.cs) from them, and that is what goes downstream.

using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>
/// One OpenClaw run in flight (<c>ctx.runId</c>, one per user turn, stable across retries; docs/openclaw-hooks.md §4),
/// built up from its events; frozen into a <see cref="CompletedTurn"/> when it completes.
/// </summary>
internal sealed class TurnBuilder
{
    public TurnBuilder(string runId, DateTimeOffset firstEventTime)
    {
        RunId = runId;
        FirstEventTime = firstEventTime;
        LastEventTime = firstEventTime;
    }

    public string RunId { get; }

    public TurnKind Kind { get; set; } = TurnKind.User;

    public string? SessionKey { get; set; }

    public string? SessionId { get; set; }

    public string? AgentId { get; set; }

    public string? Trigger { get; set; }

    public string? Channel { get; set; }

    /// <summary>OpenClaw's W3C trace id for the run, first seen.</summary>
    public string? OpenClawTraceId { get; set; }

    public DateTimeOffset FirstEventTime { get; set; }

    public DateTimeOffset LastEventTime { get; set; }

    /// <summary>Whether the run's first hook (<c>before_agent_reply</c>) was seen; otherwise the stream began mid-turn.</summary>
    public bool StartObserved { get; set; }

    /// <summary>What the user asked: <c>before_agent_reply.cleanedBody</c>, else <c>before_model_resolve.prompt</c>.</summary>
    public string? UserText { get; set; }

    public string? ResolvedModelRef { get; set; }

    public List<AttemptBuilder> Attempts { get; } = new(1);

    public AttemptBuilder? LastAttempt => Attempts.Count == 0 ? null : Attempts[^1];

    /// <summary>Tool calls by <c>toolCallId</c> (unique within a run, §0.6).</summary>
    public Dictionary<string, ToolCallBuilder> ToolsById { get; } = new(StringComparer.Ordinal);

    /// <summary>Model calls by OpenClaw's per-call <c>ctx.trace.spanId</c> (§5.4: unique, unlike <c>callId</c>).</summary>
    public Dictionary<string, ModelCallBuilder>? CallsBySpanId { get; set; }

    /// <summary>Provider invocations by the <c>provider_call</c> record's <c>callId</c>.</summary>
    public Dictionary<string, ProviderCallBuilder>? ProviderCallsById { get; set; }

    public IReadOnlyDictionary<string, string>? ToolDescriptions { get; set; }

    /// <summary>For a sub-agent or announce run: the link to its parent.</summary>
    public SubagentLink? Link { get; set; }

    /// <summary>For an announce run: the child run it announces.</summary>
    public string? AnnouncedChildRunId { get; set; }

    /// <summary>The links of the sub-agent runs this run spawned.</summary>
    public List<SubagentLink>? ChildLinks { get; set; }

    /// <summary>Assistant messages of this run not yet paired with a model call.</summary>
    public int UnpairedAssistantMessages { get; set; }

    /// <summary>Set when the run is complete: <see langword="null"/> for a run whose end was observed.</summary>
    public string? IncompleteReason { get; set; }

    /// <summary>Whether the run was closed (complete or not) and left the in-flight set.</summary>
    public bool IsComplete { get; set; }

    /// <summary>Whether anything beyond the pre-run hooks was seen.</summary>
    public bool HasAgentActivity => Attempts.Count > 0 || ToolsById.Count > 0 || ProviderCallsById is { Count: > 0 };
}

/// <summary>
/// One attempt of a run: OpenClaw repeats the whole attempt with the same run id after a transient provider error
/// (§0.8). Identified by the agent-context <c>ctx.trace.spanId</c>, which changes per attempt (§4).
/// </summary>
internal sealed class AttemptBuilder
{
    public AttemptBuilder(int number, DateTimeOffset startTime, string? agentSpanId)
    {
        Number = number;
        StartTime = startTime;
        AgentSpanId = agentSpanId;
    }

    public int Number { get; }

    public DateTimeOffset StartTime { get; set; }

    public string? AgentSpanId { get; set; }

    public LlmInputEvent? Input { get; set; }

    public AgentEndEvent? End { get; set; }

    public LlmOutputEvent? Output { get; set; }

    public bool Ended => End is not null;

    /// <summary>The end time: <c>agent_end</c>'s receipt.</summary>
    public DateTimeOffset? EndTime => End?.Time;

    public List<ModelCallBuilder> Calls { get; } = new(2);

    public List<ToolCallBuilder> Tools { get; } = new(1);

    /// <summary>Messages written during the attempt, in order: what later calls of the attempt were sent.</summary>
    public List<TranscriptEntryBuilder> Transcript { get; } = new(4);

    /// <summary>When the attempt's first model call started: user messages written before it are the prompt again.</summary>
    public DateTimeOffset? FirstCallStart { get; set; }
}

/// <summary>A message written to the transcript, when, and the model call it came from (assistant messages).</summary>
internal sealed class TranscriptEntryBuilder
{
    public TranscriptEntryBuilder(TranscriptMessage message, DateTimeOffset writeTime)
    {
        Message = message;
        WriteTime = writeTime;
    }

    public TranscriptMessage Message { get; }

    public DateTimeOffset WriteTime { get; }

    /// <summary>For an assistant message: the call it was paired with; <see langword="null"/> while unpaired.</summary>
    public ModelCallBuilder? Call { get; set; }
}

/// <summary>
/// One provider call: <c>model_call_started</c> + <c>model_call_ended</c>, the assistant message that followed, and any
/// <c>provider_call</c> records for it.
/// </summary>
internal sealed class ModelCallBuilder
{
    public ModelCallBuilder(AttemptBuilder attempt)
    {
        Attempt = attempt;
    }

    public AttemptBuilder Attempt { get; }

    public ModelCallEvent? Started { get; set; }

    public ModelCallEvent? Ended { get; set; }

    public string? CallId => Started?.CallId ?? Ended?.CallId;

    public string? SpanId { get; set; }

    public TranscriptEntryBuilder? Message { get; set; }

    public List<ProviderCallBuilder>? ProviderCalls { get; set; }

    public bool IsCompaction => (Started ?? Ended)?.IsCompaction == true;

    /// <summary>The best-known start: <c>model_call_started</c>, else <c>model_call_ended</c> minus its duration.</summary>
    public DateTimeOffset? StartTime => Started?.Time
        ?? (Ended is { DurationMs: { } ms } ended ? ended.Time - TimeSpan.FromMilliseconds(ms) : Ended?.Time);
}

/// <summary>The <c>provider_call</c> records of one provider invocation (phases before/chunk/after/error).</summary>
internal sealed class ProviderCallBuilder
{
    public ProviderCallBuilder(string callId)
    {
        CallId = callId;
    }

    public string CallId { get; }

    public ProviderCallEvent? Before { get; set; }

    public ProviderCallEvent? FirstChunk { get; set; }

    public ProviderCallEvent? After { get; set; }

    public ProviderCallEvent? Error { get; set; }

    public ProviderCallEvent? Any => Before ?? After ?? Error ?? FirstChunk;

    public ModelCallBuilder? Call { get; set; }

    /// <summary>For an invocation of no model call: the attempt it belongs to (set by <see cref="ProviderCallLinker"/>).</summary>
    public AttemptBuilder? OwnAttempt { get; set; }

    public DateTimeOffset? StartTime => Before?.Time
        ?? ((After ?? Error) is { DurationMs: { } ms } end ? end.Time - TimeSpan.FromMilliseconds(ms) : null);
}

/// <summary><c>before_tool_call</c> + <c>after_tool_call</c> + <c>tool_result_persist</c> for one <c>(runId, toolCallId)</c>.</summary>
internal sealed class ToolCallBuilder
{
    public ToolCallBuilder(string toolCallId, string toolName, AttemptBuilder attempt)
    {
        ToolCallId = toolCallId;
        ToolName = toolName;
        Attempt = attempt;
    }

    public string ToolCallId { get; }

    public string ToolName { get; set; }

    public AttemptBuilder Attempt { get; }

    public ToolCallEvent? Before { get; set; }

    public ToolCallEvent? After { get; set; }

    public ToolResultPersistEvent? Persisted { get; set; }

    /// <summary>For <c>sessions_spawn</c>: the child run it started.</summary>
    public string? SpawnedRunId { get; set; }
}
