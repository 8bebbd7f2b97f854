// Attempts (docs/openclaw-hooks.md §4, row "attempt"): keyed (runId, ctx.trace.spanId), since the agent-context span
// changes per attempt; agent_end and llm_output fire once per attempt (§0.3, §5.3), llm_output after agent_end.
// Also the agent hooks that open, feed and end an attempt: before_agent_reply ... before_agent_run, llm_input,
// agent_end, llm_output.

using System;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
    /// <summary>
    /// The attempt an agent-context hook belongs to. Attempts are told apart by the agent-context
    /// <c>ctx.trace.spanId</c> (a new one per attempt, §4); without trace context, a hook that opens attempts after
    /// <c>agent_end</c> starts the next one.
    /// </summary>
    private static AttemptBuilder AttemptForAgentHook(TurnBuilder turn, HookEvent hookEvent, bool opensAttempt)
    {
        var spanId = hookEvent.Context.SpanId;
        var last = turn.LastAttempt;
        if (spanId is not null)
        {
            for (var i = turn.Attempts.Count - 1; i >= 0; i--)
            {
                if (turn.Attempts[i].AgentSpanId == spanId)
                {
                    return turn.Attempts[i];
                }
            }
        }

        if (last is not null && !last.Ended && (last.AgentSpanId is null || spanId is null))
        {
            last.AgentSpanId ??= spanId;
            return last;
        }

        if (!opensAttempt && last is not null)
        {
            return last;
        }

        return NewAttempt(turn, hookEvent.Time, spanId);
    }

    /// <summary>The attempt a starting call (model or tool) belongs to: the open one, else a new one whose opening hooks
    /// were not seen.</summary>
    private static AttemptBuilder AttemptForStart(TurnBuilder turn, HookEvent hookEvent)
    {
        var last = turn.LastAttempt;
        return last is { Ended: false } ? last : NewAttempt(turn, hookEvent.Time, null);
    }

    /// <summary>The attempt an ending record with no start belongs to: the open one, else the last.</summary>
    private static AttemptBuilder AttemptForEnd(TurnBuilder turn, HookEvent hookEvent) =>
        turn.LastAttempt ?? NewAttempt(turn, hookEvent.Time, null);

    private static AttemptBuilder NewAttempt(TurnBuilder turn, DateTimeOffset start, string? spanId)
    {
        var attempt = new AttemptBuilder(turn.Attempts.Count + 1, start, spanId);
        turn.Attempts.Add(attempt);
        return attempt;
    }

    private void OnRunPhase(RunPhaseEvent phase)
    {
        if (Turn(phase.Context.RunId, phase, mayCreate: phase.Phase != RunPhase.BeforeAgentFinalize) is not { } turn)
        {
            return;
        }

        switch (phase.Phase)
        {
            case RunPhase.BeforeAgentReply:
            case RunPhase.BeforeModelResolve:
                turn.StartObserved = true;
                if (phase.Phase == RunPhase.BeforeAgentReply || turn.UserText is null)
                {
                    turn.UserText = phase.UserText ?? turn.UserText;
                }

                break;
            default:
                if (phase.IsAttemptScoped)
                {
                    var attempt = AttemptForAgentHook(turn, phase, opensAttempt: true);
                    if (phase.Time < attempt.StartTime)
                    {
                        attempt.StartTime = phase.Time;
                    }
                }

                break;
        }

        CheckCompletion(turn);
    }

    private void OnLlmInput(LlmInputEvent input)
    {
        if (Turn(input.Context.RunId, input) is not { } turn)
        {
            return;
        }

        var attempt = AttemptForAgentHook(turn, input, opensAttempt: true);
        attempt.Input ??= input;
        if (input.ToolDescriptions is not null)
        {
            turn.ToolDescriptions = input.ToolDescriptions;
        }

        CheckCompletion(turn);
    }

    private void OnAgentEnd(AgentEndEvent end)
    {
        if (Turn(end.Context.RunId, end) is not { } turn)
        {
            return;
        }

        AttemptBuilder? attempt = null;
        if (end.Context.SpanId is { } spanId)
        {
            attempt = turn.Attempts.Find(a => a.AgentSpanId == spanId);
        }

        attempt ??= turn.LastAttempt is { Ended: false } open ? open : null;
        if (attempt is null)
        {
            // The attempt's opening hooks were not seen: its start is agent_end minus its duration.
            var start = end.DurationMs is { } ms ? end.Time - TimeSpan.FromMilliseconds(ms) : end.Time;
            attempt = NewAttempt(turn, start, end.Context.SpanId);
        }

        attempt.End ??= end;
        CheckCompletion(turn);
    }

    private void OnLlmOutput(LlmOutputEvent output)
    {
        // llm_output cannot begin a turn: it comes last (§5.3), so one for an unknown run is a stream cut mid-turn.
        if (Turn(output.Context.RunId, output, mayCreate: false) is not { } turn)
        {
            return;
        }

        AttemptBuilder? attempt = null;
        if (output.Context.SpanId is { } spanId)
        {
            attempt = turn.Attempts.Find(a => a.AgentSpanId == spanId);
        }

        attempt ??= turn.Attempts.FindLast(a => a.Ended && a.Output is null) ?? turn.LastAttempt;
        if (attempt is not null)
        {
            attempt.Output ??= output;
        }

        turn.ResolvedModelRef ??= output.ResolvedRef;
        CheckCompletion(turn);
    }
}
