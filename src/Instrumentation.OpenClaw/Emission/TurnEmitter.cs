// Emits a complete turn: the AGENT root and the CHAIN attempt spans, and the attributes every span shares (times,
// completeness). Its call spans are in TurnEmitter.LlmSpans.cs and TurnEmitter.ToolSpans.cs; every span's start and
// end come from SpanTiming.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Input;
using Instrumentation.OpenClaw.Scheduling;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.OpenClaw.Emission;

/// <summary>
/// Emits a complete turn as spans through the runtime's span types, with the timestamps the hooks recorded: one AGENT
/// span for the run, a CHAIN span per attempt when there was more than one, an LLM span per provider call and a TOOL
/// span per tool call. Spans are started and ended here in one go, so they never become <see cref="Activity.Current"/>.
/// </summary>
internal sealed partial class TurnEmitter : ITurnEmitter
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly ReplayStatistics _stats;

    public TurnEmitter(ReplayStatistics stats)
    {
        _stats = stats;
    }

    public EmittedTurn Emit(CompletedTurn turn, TurnPlacement placement)
    {
        var incomplete = turn.IncompleteReason;
        var timing = SpanTiming.OfTurn(turn);

        var parent = placement.Parent != default ? placement.Parent : LiveSpan.RootOfTrace(ActivityTraceId.CreateRandom());
        var agentId = turn.AgentId ?? turn.Link?.AgentId;
        var root = AgentSpan.Start(RootName(turn), agentName: agentId, agentId: agentId, sessionId: turn.SessionKey,
            startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (root.Activity is null)
        {
            // Not sampled (or nothing listens): like a parent-based sampler, record none of the turn.
            root.End(timing.End);
            return default;
        }

        DescribeRoot(root, turn, placement);
        SetTiming(root, timing);
        if (incomplete is not null)
        {
            MarkIncomplete(root, incomplete);
        }

        var rootContext = root.Activity.Context;
        Dictionary<string, ActivityContext>? toolContexts = null;
        var multiAttempt = turn.Attempts.Length > 1;
        foreach (var attempt in turn.Attempts)
        {
            var isLast = ReferenceEquals(attempt, turn.LastAttempt);
            var attemptContext = rootContext;
            LiveSpan chain = default;
            var attemptTiming = SpanTiming.OfAttempt(attempt, isLast ? timing.End : null);
            if (multiAttempt)
            {
                chain = LiveSpan.Start("attempt " + attempt.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MlflowSpanTypes.Chain, ActivityKind.Internal, attemptTiming.Start, rootContext);
                _stats.SpansExported++;
                chain.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
                chain.SetAttribute(OpenClawAttributes.SpanId, attempt.AgentSpanId);
                chain.SetAttribute(OpenClawAttributes.AttemptAgentEndSuccess, attempt.End?.Success);
                SetTiming(chain, attemptTiming);
                if (attemptTiming.EndUnknown)
                {
                    MarkIncomplete(chain, incomplete ?? "attempt_end_not_observed");
                }

                if (chain.Activity is { } chainActivity)
                {
                    attemptContext = chainActivity.Context;
                }
            }

            var fallbackEnd = attemptTiming.End;
            foreach (var call in attempt.Calls)
            {
                EmitCalls(turn, attempt, call, attemptContext, fallbackEnd, incomplete);
            }

            foreach (var entry in attempt.Transcript)
            {
                if (!entry.Paired && entry.Message.Role == "assistant")
                {
                    EmitTranscriptOnlyCall(attempt, entry, attemptContext);
                }
            }

            foreach (var invocation in attempt.UnlinkedProviderCalls)
            {
                EmitInvocation(turn, attempt, null, invocation, single: false, attemptContext, fallbackEnd, incomplete);
            }

            foreach (var tool in attempt.Tools)
            {
                var context = EmitTool(turn, attempt, tool, attemptContext, fallbackEnd, incomplete);
                if (tool.SpawnedRunId is not null && context != default)
                {
                    (toolContexts ??= new(StringComparer.Ordinal))[tool.ToolCallId] = context;
                }
            }

            if (multiAttempt)
            {
                if (attempt.Failure is { } attemptFailure)
                {
                    chain.SetError(attemptFailure.ErrorType, attemptFailure.Message);
                }

                End(chain, attemptTiming);
            }
        }

        var failed = false;
        if (turn.LastAttempt is { Ended: true, Failure: { } failure })
        {
            // The turn's outcome is its last attempt's: an error there (retries exhausted, or no retry came) fails the
            // turn even though agent_end said success (§5.5).
            root.SetError(failure.ErrorType, failure.Message);
            failed = true;
        }
        else if (turn.Kind == TurnKind.Subagent && turn.Link is { Outcome: { } outcome } link && outcome is not ("ok" or "reset"))
        {
            root.SetError("subagent_" + outcome, link.EndError ?? link.EndReason ?? "sub-agent ended: " + outcome);
            failed = true;
        }

        return new EmittedTurn(rootContext, toolContexts, failed, root, timing.Start, timing.End);
    }

    public void Close(in EmittedTurn emitted) => End(emitted.Root, emitted.RootStart, emitted.RootEnd);

    // ---------------------------------------------------------------- root

    private static string RootName(CompletedTurn turn) => turn.Kind switch
    {
        TurnKind.Subagent => turn.Link?.Label ?? turn.AgentId ?? "subagent",
        TurnKind.Announce => "announce",
        _ => turn.AgentId ?? "openclaw",
    };

    private static void DescribeRoot(LiveSpan root, CompletedTurn turn, TurnPlacement placement)
    {
        root.SetAttribute(OpenClawAttributes.RunId, turn.RunId);
        root.SetAttribute(OpenClawAttributes.SessionId, turn.SessionId);
        root.SetAttribute(OpenClawAttributes.TraceId, turn.OpenClawTraceId);
        root.SetAttribute(OpenClawAttributes.SpanId, turn.Attempts.Length > 0 ? turn.Attempts[0].AgentSpanId : null);
        root.SetAttribute(OpenClawAttributes.Trigger, turn.Trigger);
        root.SetAttribute(OpenClawAttributes.Channel, turn.Channel);
        root.SetAttribute(OpenClawAttributes.ModelRef, turn.ResolvedModelRef ?? LastOutput(turn)?.ResolvedRef);
        root.SetAttribute(OpenClawAttributes.TurnKind, turn.Kind switch
        {
            TurnKind.Subagent => "subagent",
            TurnKind.Announce => "announce",
            _ => "user",
        });
        root.SetAttribute(OpenClawAttributes.TurnAttempts, turn.Attempts.Length);
        if (turn.Link is { } link && turn.Kind != TurnKind.User)
        {
            root.SetAttribute(OpenClawAttributes.ParentRunId, link.ParentRunId ?? placement.ParentRunId);
            if (turn.Kind == TurnKind.Subagent)
            {
                root.SetAttribute(OpenClawAttributes.SubagentLabel, link.Label);
                root.SetAttribute(OpenClawAttributes.SubagentMode, link.Mode);
                root.SetAttribute(OpenClawAttributes.SubagentOutcome, link.Outcome);
                root.SetAttribute(OpenClawAttributes.SubagentEndReason, link.EndReason);
                root.SetAttribute(OpenClawAttributes.SubagentChildSessionKey, link.ChildSessionKey);
            }
        }

        if (turn.Kind == TurnKind.Announce)
        {
            root.SetAttribute(OpenClawAttributes.AnnounceChildRunId, turn.AnnouncedChildRunId);
        }

        if (placement.SeparateTrace)
        {
            root.SetAttribute(OpenClawAttributes.SubagentSeparateTrace, true);
        }

        if (!root.CapturesContent)
        {
            return;
        }

        var userText = turn.UserText ?? FirstInput(turn)?.Prompt;
        if (userText is not null)
        {
            root.SetInputsJson(ChatJson.Inputs(new[] { new RecordedChatMessage("user", userText) }, model: null, AgentTelemetry.Settings));
        }

        if (FinalAnswer(turn) is { } answer)
        {
            root.SetOutputJson(ChatJson.Output(new RecordedChatMessage("assistant", answer), finishReason: null, AgentTelemetry.Settings));
        }
    }

    private static LlmInputEvent? FirstInput(CompletedTurn turn)
    {
        foreach (var attempt in turn.Attempts)
        {
            if (attempt.Input is not null)
            {
                return attempt.Input;
            }
        }

        return null;
    }

    private static LlmOutputEvent? LastOutput(CompletedTurn turn)
    {
        for (var i = turn.Attempts.Length - 1; i >= 0; i--)
        {
            if (turn.Attempts[i].Output is { } output)
            {
                return output;
            }
        }

        return null;
    }

    /// <summary>The turn's answer: the last assistant text of the last attempt (else <c>llm_output.assistantTexts</c>).</summary>
    private static string? FinalAnswer(CompletedTurn turn)
    {
        if (turn.LastAttempt is not { } last)
        {
            return null;
        }

        for (var i = last.Transcript.Length - 1; i >= 0; i--)
        {
            if (last.Transcript[i].Message is { Role: "assistant", Text: { Length: > 0 } text })
            {
                return text;
            }
        }

        return last.Output is { AssistantTexts.Count: > 0 } output ? string.Join("\n", output.AssistantTexts) : null;
    }

    // ---------------------------------------------------------------- times

    /// <summary>Ends a span; a recorded end not after its start gets one tick, since an Activity with zero duration
    /// is given "now" as its end when stopped.</summary>
    private static void End(LiveSpan span, DateTimeOffset start, DateTimeOffset end) =>
        span.End(end > start ? end : start + OneTick);

    private static void End(LiveSpan span, in SpanTiming timing) => End(span, timing.Start, timing.End);

    /// <summary>The <c>openclaw.timing.*</c> attributes: where a start or end not taken from the span's own hooks came
    /// from, and whether it is unknown.</summary>
    private static void SetTiming(LiveSpan span, in SpanTiming timing)
    {
        if (timing.StartSource is not null)
        {
            span.SetAttribute(OpenClawAttributes.TimingStartSource, timing.StartSource);
        }

        if (timing.StartUnknown)
        {
            span.SetAttribute(OpenClawAttributes.TimingStartUnknown, true);
        }

        if (timing.EndUnknown)
        {
            span.SetAttribute(OpenClawAttributes.TimingEndUnknown, true);
        }

        if (timing.EndSource is not null)
        {
            span.SetAttribute(OpenClawAttributes.TimingEndSource, timing.EndSource);
        }
    }

    /// <summary>The timing attributes of a call span (LLM, TOOL); a call whose end was not observed is also marked
    /// incomplete, with the turn's reason.</summary>
    private static void SetCallTiming(LiveSpan span, in SpanTiming timing, string? incomplete)
    {
        SetTiming(span, timing);
        if (timing.EndUnknown)
        {
            MarkIncomplete(span, incomplete ?? "end_not_observed");
        }
    }

    private static void MarkIncomplete(LiveSpan span, string reason)
    {
        span.SetAttribute(InstrumentationAttributes.Incomplete, true);
        span.SetAttribute(InstrumentationAttributes.IncompleteReason, reason);
    }
}
