using System;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>
/// Links each <c>provider_call</c> invocation of a complete turn to the model call it served, by exact keys only
/// (docs/openclaw-bridge.md, "The provider_call record"): the record's <c>ctx.trace.spanId</c> equal to the model call's
/// OpenClaw span id, else its <c>logicalCallId</c> equal to the model call's <c>callId</c> (which repeats across
/// attempts, so the call whose time span holds the invocation's start wins). An invocation that matches no model call
/// is a provider call of its own, in the attempt that was running when it started (<see cref="ProviderCallBuilder.OwnAttempt"/>).
/// Runs once, when the turn completes, so that what is handed downstream is already linked.
/// </summary>
internal static class ProviderCallLinker
{
    public static void Link(TurnBuilder turn)
    {
        if (turn.ProviderCallsById is not { Count: > 0 } invocations)
        {
            return;
        }

        if (turn.Attempts.Count == 0)
        {
            var first = DateTimeOffset.MaxValue;
            foreach (var invocation in invocations.Values)
            {
                var start = invocation.StartTime ?? invocation.Any!.Time;
                first = start < first ? start : first;
            }

            turn.Attempts.Add(new AttemptBuilder(1, first, null));
        }

        foreach (var invocation in invocations.Values)
        {
            if (invocation.Call is not null)
            {
                continue;
            }

            var spanId = invocation.Before?.Context.SpanId ?? invocation.After?.Context.SpanId ?? invocation.Error?.Context.SpanId;
            ModelCallBuilder? call = null;
            if (spanId is not null && turn.CallsBySpanId is { } bySpan)
            {
                bySpan.TryGetValue(spanId, out call);
            }

            if (call is null && invocation.Any!.LogicalCallId is { } logical)
            {
                call = ByLogicalId(turn, logical, invocation.StartTime);
            }

            if (call is not null)
            {
                invocation.Call = call;
                (call.ProviderCalls ??= new()).Add(invocation);
                call.ProviderCalls.Sort(static (a, b) => (a.Any!.Attempt ?? 0).CompareTo(b.Any!.Attempt ?? 0) is var byAttempt and not 0
                    ? byAttempt
                    : Nullable.Compare(a.StartTime, b.StartTime));
            }
        }

        foreach (var invocation in invocations.Values)
        {
            if (invocation.Call is null)
            {
                invocation.OwnAttempt = AttemptOf(turn, invocation);
            }
        }
    }

    private static ModelCallBuilder? ByLogicalId(TurnBuilder turn, string logicalCallId, DateTimeOffset? start)
    {
        ModelCallBuilder? nearest = null;
        var nearestDelta = TimeSpan.MaxValue;
        foreach (var attempt in turn.Attempts)
        {
            foreach (var call in attempt.Calls)
            {
                if (!string.Equals(call.CallId, logicalCallId, StringComparison.Ordinal))
                {
                    continue;
                }

                if (start is null)
                {
                    nearest = call;
                    continue;
                }

                var callStart = call.StartTime ?? start.Value;
                var callEnd = call.Ended is { } ended ? ended.Time : DateTimeOffset.MaxValue;
                if (start.Value >= callStart && start.Value <= callEnd)
                {
                    return call;
                }

                var delta = (callStart - start.Value).Duration();
                if (delta < nearestDelta)
                {
                    nearest = call;
                    nearestDelta = delta;
                }
            }
        }

        return nearest;
    }

    /// <summary>The attempt an invocation of no model call belongs to: the last one started by the invocation's start.</summary>
    private static AttemptBuilder AttemptOf(TurnBuilder turn, ProviderCallBuilder invocation)
    {
        var start = invocation.StartTime ?? invocation.Any!.Time;
        var chosen = turn.Attempts[0];
        foreach (var attempt in turn.Attempts)
        {
            if (attempt.StartTime <= start)
            {
                chosen = attempt;
            }
        }

        return chosen;
    }
}
