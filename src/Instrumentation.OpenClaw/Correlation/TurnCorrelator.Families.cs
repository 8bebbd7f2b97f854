// Sub-agent families as the stream shows them (docs/openclaw-hooks.md §4, rows "AGENT (sub-agent)" and "announce
// turn"): whether a turn's family can still grow, and what a turn's export means for its links. The order of emission
// built on these answers is Scheduling's (Scheduling/TurnScheduler.cs).

using System;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator : IRunTracker
{
    /// <inheritdoc/>
    public bool IsInFlight(string runId) => _turns.ContainsKey(runId);

    /// <summary>
    /// Whether a run this turn spawned is still to come: the child run in flight (or spawned but not started), or its
    /// announce run in flight, or neither <c>subagent_ended</c> (which follows the announce run, §3) nor the sub-agent end
    /// window after the child's completion has come yet. Never at the end of input.
    /// </summary>
    public bool FamilyPending(CompletedTurn turn)
    {
        if (_draining || !_awaitingExport.TryGetValue(turn.RunId, out var handedOver) || handedOver.ChildLinks is not { } links)
        {
            return false;
        }

        foreach (var link in links)
        {
            if (link.ParentRunId != turn.RunId)
            {
                continue;
            }

            if (_turns.ContainsKey(link.ChildRunId))
            {
                return true;
            }

            if (link.ChildSessionKey is { } key && _turns.ContainsKey(AnnouncePrefix + key + ":" + link.ChildRunId))
            {
                return true;
            }

            if (link.EndedSeenAt is null)
            {
                var since = link.ChildCompletedAt ?? link.LastTouched;
                if (_clock - since < _options.SubagentEndWindow)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Marks the turn's own link (as child or announce run) exported and touches the links of the runs it
    /// spawned, which now have the spans to nest under; a link is retired once its runs are exported
    /// (<see cref="RetireLinks"/>).</summary>
    public void Exported(CompletedTurn turn)
    {
        if (!_awaitingExport.Remove(turn.RunId, out var handedOver))
        {
            return;
        }

        if (handedOver.Link is { } link)
        {
            if (handedOver.Kind == TurnKind.Subagent)
            {
                link.ChildExported = true;
            }
            else if (handedOver.Kind == TurnKind.Announce)
            {
                link.AnnounceExported = true;
            }

            link.LastTouched = _clock;
        }

        if (handedOver.ChildLinks is { } childLinks)
        {
            foreach (var childLink in childLinks)
            {
                if (childLink.ParentRunId == turn.RunId)
                {
                    childLink.LastTouched = _clock;
                }
            }
        }
    }
}
