// Emission order and placement (docs/openclaw-hooks.md §4, rows "AGENT (sub-agent)", "announce turn" and "Trace"): a
// parent is emitted before the runs nested under it and held until its sub-agent family is complete; a child nests
// under its sessions_spawn TOOL span and an announce run under the parent's root, when OpenClaw gave them the
// parent's ctx.trace.traceId.

using System;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
    /// <summary>
    /// Emits a complete turn, unless sub-agent runs it spawned are still going: then it is held, and emitted (with them)
    /// once they and their announce runs are complete, so the trace reaches MLflow and the console tree whole.
    /// </summary>
    private void EmitOrHold(TurnState turn)
    {
        if (FamilyPending(turn))
        {
            turn.HoldingForFamily = true;
            _waiting[turn.RunId] = turn;
            return;
        }

        turn.HoldingForFamily = false;
        _waiting.Remove(turn.RunId);
        Emit(turn, forceRoot: false);
    }

    private void ReleaseIfFamilyDone(TurnState turn)
    {
        if (turn.HoldingForFamily && !FamilyPending(turn))
        {
            EmitOrHold(turn);
        }
    }

    /// <summary>
    /// Whether a run this turn spawned is still to come: the child run in flight (or spawned but not started), or its
    /// announce run in flight, or neither <c>subagent_ended</c> (which follows the announce run, §3) nor the sub-agent end
    /// window after the child's completion has come yet.
    /// </summary>
    private bool FamilyPending(TurnState turn)
    {
        if (turn.ChildLinks is not { } links || _draining)
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

    /// <summary>The parent run, when it is still in flight or itself waiting: then this run must wait for it.</summary>
    private TurnState? ParentHolding(TurnState turn)
    {
        if (turn.Link is not { ParentRunId: { } parentRunId, ParentEmitted: false } || parentRunId == turn.RunId)
        {
            return null;
        }

        if (_turns.TryGetValue(parentRunId, out var parent) || _waiting.TryGetValue(parentRunId, out parent))
        {
            return parent;
        }

        return null;
    }

    private void Emit(TurnState turn, bool forceRoot)
    {
        var placement = forceRoot ? default : Placement(turn);
        EmittedTurn emitted;
        try
        {
            emitted = _sink.Emit(turn, placement);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail-open: a turn the emitter chokes on is lost, the replay goes on.
            _stats.EmitFailures++;
            _stats.LastEmitFailure = ex.GetType().Name + ": " + ex.Message;
            emitted = default;
        }

        _stats.TurnsExported++;
        TurnExported?.Invoke(turn.RunId);
        if (turn.IncompleteReason is not null)
        {
            _stats.TurnsIncomplete++;
        }

        if (emitted.Failed)
        {
            _stats.TurnsFailed++;
        }

        if (turn.Link is { } link)
        {
            if (turn.Kind == TurnKind.Subagent)
            {
                link.ChildEmitted = true;
            }
            else if (turn.Kind == TurnKind.Announce)
            {
                link.AnnounceEmitted = true;
            }

            link.LastTouched = _clock;
        }

        // Hand the span contexts to the links of the runs this turn spawned, so they nest even when they end later.
        if (turn.ChildLinks is { } childLinks)
        {
            foreach (var childLink in childLinks)
            {
                if (childLink.ParentRunId != turn.RunId)
                {
                    continue;
                }

                childLink.ParentEmitted = true;
                childLink.ParentOpenClawTraceId = turn.OpenClawTraceId;
                childLink.ParentRootContext = emitted.RootContext;
                childLink.ParentToolContext = childLink.ParentToolCallId is { } toolCallId && emitted.ToolContexts is { } tools
                    && tools.TryGetValue(toolCallId, out var toolContext)
                    ? toolContext
                    : default;
                childLink.LastTouched = _clock;
            }
        }

        ReleaseDependents(turn);
        try
        {
            _sink.Close(emitted);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _stats.EmitFailures++;
            _stats.LastEmitFailure = ex.GetType().Name + ": " + ex.Message;
        }
    }

    private void ReleaseDependents(TurnState turn)
    {
        if (turn.WaitingDependents is not { } dependents)
        {
            return;
        }

        turn.WaitingDependents = null;
        foreach (var dependent in dependents)
        {
            if (_waiting.ContainsKey(dependent.RunId))
            {
                EmitOrHold(dependent);
            }
        }
    }

    /// <summary>
    /// Where a run goes: a sub-agent child under its <c>sessions_spawn</c> TOOL span (else its parent's root), an
    /// announce run under its parent's root; both only when OpenClaw put them in the parent's trace (same
    /// <c>ctx.trace.traceId</c>, §0.7). Otherwise the run is the root of a trace of its own.
    /// </summary>
    private static TurnPlacement Placement(TurnState turn)
    {
        if (turn.Link is not { ParentEmitted: true } link || turn.Kind == TurnKind.User)
        {
            return default;
        }

        var sameTrace = turn.OpenClawTraceId is null || link.ParentOpenClawTraceId is null
            || string.Equals(turn.OpenClawTraceId, link.ParentOpenClawTraceId, StringComparison.OrdinalIgnoreCase);
        if (!sameTrace)
        {
            return new TurnPlacement(default, link.ParentRunId, SeparateTrace: true);
        }

        var parent = turn.Kind == TurnKind.Subagent && link.ParentToolContext != default ? link.ParentToolContext : link.ParentRootContext;
        return new TurnPlacement(parent, link.ParentRunId, SeparateTrace: false);
    }
}
