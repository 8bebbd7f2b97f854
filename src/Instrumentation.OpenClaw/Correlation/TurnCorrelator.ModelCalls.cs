// LLM spans, one per provider call (docs/openclaw-hooks.md §4, row "LLM (per provider call)"): model_call_started and
// model_call_ended are paired by ctx.trace.spanId (unique per call), else first-in-first-out on (runId, callId),
// since the call id restarts per attempt (§5.4). Also the bridge's provider_call records, collected per run and
// linked to their model call at emission (docs/openclaw-bridge.md, "The provider_call record").

using System;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
    /// <summary>
    /// Pairs <c>model_call_started</c>/<c>model_call_ended</c> by OpenClaw's per-call <c>ctx.trace.spanId</c>, else
    /// first-in-first-out per <c>(runId, callId)</c> (§0.4: the call id restarts per attempt, so it repeats on a retry),
    /// looking in the latest attempt first. An end that arrives before its start (the hooks are fire-and-forget, §1)
    /// makes the call from the end alone; the start, when it comes, joins it.
    /// </summary>
    private void OnModelCall(ModelCallEvent record)
    {
        if (Turn(record.RunId, record) is not { } turn)
        {
            return;
        }

        var spanId = record.Context.SpanId;
        ModelCallBuilder? call = null;
        if (spanId is not null && turn.CallsBySpanId is { } bySpan)
        {
            bySpan.TryGetValue(spanId, out call);
        }

        if (call is null && spanId is null)
        {
            call = record.IsEnd ? FindOpenCall(turn, record.CallId, needStart: true) : FindOpenCall(turn, record.CallId, needStart: false);
        }

        if (call is null)
        {
            var attempt = record.IsEnd ? AttemptForEnd(turn, record) : AttemptForStart(turn, record);
            call = new ModelCallBuilder(attempt) { SpanId = spanId };
            attempt.Calls.Add(call);
            if (spanId is not null)
            {
                (turn.CallsBySpanId ??= new(StringComparer.Ordinal))[spanId] = call;
            }
        }

        if (record.IsEnd)
        {
            call.Ended ??= record;
        }
        else
        {
            call.Started ??= record;
        }

        if (call.StartTime is { } start && !call.IsCompaction
            && (call.Attempt.FirstCallStart is not { } first || start < first))
        {
            call.Attempt.FirstCallStart = start;
        }

        ClaimUnpairedMessages(turn, call);
        CheckCompletion(turn);
    }

    private static ModelCallBuilder? FindOpenCall(TurnBuilder turn, string? callId, bool needStart)
    {
        for (var a = turn.Attempts.Count - 1; a >= 0; a--)
        {
            foreach (var candidate in turn.Attempts[a].Calls)
            {
                if (candidate.SpanId is null && string.Equals(candidate.CallId, callId, StringComparison.Ordinal)
                    && (needStart ? candidate.Started is not null && candidate.Ended is null : candidate.Started is null && candidate.Ended is not null))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Collects the phases of each provider invocation under its run (by <c>runId</c>, else the session's run in flight).
    /// Which model call it belongs to is decided at emission, when every record of the turn is known.
    /// </summary>
    private void OnProviderCall(ProviderCallEvent record)
    {
        TurnBuilder? turn;
        if (record.RunId is not null)
        {
            turn = Turn(record.RunId, record);
        }
        else if (record.SessionKey is { } key && _sessions.TryGetValue(key, out var turns) && turns.Count > 0)
        {
            turn = MostRecent(turns);
            Touch(turn, record);
        }
        else
        {
            _stats.UnattributedEvents++;
            return;
        }

        if (turn is null)
        {
            return;
        }

        turn.ProviderCallsById ??= new(StringComparer.Ordinal);
        if (!turn.ProviderCallsById.TryGetValue(record.CallId, out var invocation))
        {
            invocation = new ProviderCallBuilder(record.CallId);
            turn.ProviderCallsById.Add(record.CallId, invocation);
        }

        switch (record.Phase)
        {
            case ProviderCallPhase.Before:
                invocation.Before ??= record;
                break;
            case ProviderCallPhase.Chunk:
                invocation.FirstChunk ??= record;
                break;
            case ProviderCallPhase.After:
                invocation.After ??= record;
                break;
            case ProviderCallPhase.Error:
                invocation.Error ??= record;
                break;
        }

        CheckCompletion(turn);
    }
}
