// When a turn is over (docs/openclaw-hooks.md §4, row "AGENT (root, per turn)": take the last agent_end/llm_output, use
// a quiet period to close; §5.5: agent_end.success is unreliable): the windows of OpenClawReplayOptions measured on the
// stream's clock, and the hand-over of a complete turn: linked, frozen, and its builders released.

using System;
using System.Collections.Generic;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
    private void AdvanceStreamClock(DateTimeOffset time)
    {
        // The clock is the latest event's time, not the maximum ever seen: files replayed out of chronological order, or
        // one bogus timestamp, must not make every window expire at once. A backward jump simply expires nothing.
        _clock = time;
        if (!_clockStarted)
        {
            _clockStarted = true;
            _lastSweep = time;
            return;
        }

        if ((time - _lastSweep).Duration() >= SweepInterval)
        {
            Sweep();
        }
    }

    private void Sweep()
    {
        _lastSweep = _clock;
        if (_turns.Count > 0)
        {
            List<TurnBuilder>? due = null;
            foreach (var turn in _turns.Values)
            {
                if (Evaluate(turn, endOfInput: false).Done)
                {
                    (due ??= new()).Add(turn);
                }
            }

            if (due is not null)
            {
                due.Sort(static (a, b) => a.FirstEventTime.CompareTo(b.FirstEventTime));
                foreach (var turn in due)
                {
                    if (!turn.IsComplete)
                    {
                        CompleteTurn(turn, Evaluate(turn, endOfInput: false).IncompleteReason);
                    }
                }
            }
        }

        _sink.Sweep();
        RetireLinks();
        _exportedRuns.ExpireBefore(_clock - _options.ExportedRunMemory);
    }

    /// <summary>
    /// Whether a turn is over. A turn ends with its last attempt (§4): a successful attempt once its <c>llm_output</c>
    /// arrived (and, for a sub-agent, its <c>subagent_ended</c>) or the settle window passed; a failed attempt once the
    /// retry window passed with no new attempt, or the attempt limit was reached (exhausted retries fire no terminal
    /// hook, §3). A turn whose last attempt never ended closes only at end of input or after the idle timeout, marked
    /// incomplete.
    /// </summary>
    private (bool Done, string? IncompleteReason) Evaluate(TurnBuilder turn, bool endOfInput)
    {
        var last = turn.LastAttempt;
        if (last is { Ended: true })
        {
            var end = last.EndTime!.Value;
            if (Outcomes.OfAttempt(last) is not null)
            {
                var final = turn.Attempts.Count >= _options.MaxAttempts || endOfInput || _clock - end >= _options.RetryWindow;
                return (final, null);
            }

            var waitingOutput = last.Output is null;
            var waitingSubagentEnd = turn.Kind == TurnKind.Subagent && turn.Link is { EndedSeenAt: null };
            if ((!waitingOutput && !waitingSubagentEnd) || endOfInput)
            {
                return (true, null);
            }

            if (waitingSubagentEnd && _clock - end < _options.SubagentEndWindow)
            {
                return (false, null);
            }

            return (_clock - end >= _options.SettleWindow, null);
        }

        if (turn.Kind == TurnKind.Subagent && turn.Link is { EndedSeenAt: not null, Outcome: { } outcome } && outcome != "ok")
        {
            // OpenClaw ended the child (killed, timeout, error) before its attempt finished: no agent_end will come.
            return (true, "subagent_" + outcome);
        }

        if (endOfInput)
        {
            return (true, "end_of_input");
        }

        return _clock - turn.LastEventTime >= _options.IdleTimeout ? (true, "idle_timeout") : (false, null);
    }

    private void CheckCompletion(TurnBuilder turn)
    {
        if (!turn.IsComplete)
        {
            var (done, reason) = Evaluate(turn, endOfInput: false);
            if (done)
            {
                CompleteTurn(turn, reason);
            }
        }
    }

    private void CompleteTurn(TurnBuilder turn, string? incompleteReason)
    {
        turn.IsComplete = true;
        turn.IncompleteReason = incompleteReason;
        _turns.Remove(turn.RunId);
        if (turn.SessionKey is { } key && _sessions.TryGetValue(key, out var list))
        {
            list.Remove(turn);
            if (list.Count == 0)
            {
                _sessions.Remove(key);
            }
        }

        _exportedRuns.Add(turn.RunId, _clock);
        ProviderCallLinker.Link(turn);
        if (!turn.HasAgentActivity)
        {
            // Only before_agent_reply/before_model_resolve were seen (a reply claimed by a plugin, or a stream cut right
            // after them): nothing a trace could show.
            _stats.TurnsWithoutActivity++;
            _sink.Discarded(turn.RunId);
            return;
        }

        if (turn.Kind == TurnKind.Announce && turn.Link is null && turn.AnnouncedChildRunId is { } child
            && _linksByChildRun.TryGetValue(child, out var announceLink))
        {
            turn.Link = announceLink;
        }

        if (turn.Kind == TurnKind.Subagent && turn.Link is { } ownLink)
        {
            ownLink.ChildCompletedAt ??= _clock;
        }

        _awaitingExport.Add(turn.RunId, new HandedOverTurn(turn.Kind, turn.Link, turn.ChildLinks));
        _sink.Completed(TurnFreezer.Freeze(turn));
    }
}
