// Emission order and placement (docs/openclaw-hooks.md §4, rows "AGENT (sub-agent)", "announce turn" and "Trace"): a
// parent is emitted before the runs nested under it and held until its sub-agent family is complete; a child nests
// under its sessions_spawn TOOL span and an announce run under the parent's root, when OpenClaw gave them the
// parent's ctx.trace.traceId.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Instrumentation.OpenClaw.Correlation;

namespace Instrumentation.OpenClaw.Scheduling;

/// <summary>
/// Decides when and where each complete turn is emitted: a run nested under another waits for it; a turn whose
/// sub-agent runs are still to come is held, and emitted with them once they and their announce runs are complete, so
/// the trace reaches MLflow and the console tree whole. Owns the span contexts nested runs go under and the open root
/// spans, which it ends after the runs nested under them. The turns it holds are Correlation's frozen
/// <see cref="CompletedTurn"/>s; a later state of a link they hold (<see cref="LinkChanged"/>) replaces the older one in
/// them, so each turn is emitted with what was last known of its link.
/// </summary>
/// <remarks>Not thread-safe: driven by the correlator's single reader.</remarks>
internal sealed class TurnScheduler : ITurnSink
{
    private readonly ITurnEmitter _emitter;
    private readonly ReplayStatistics _stats;
    private IRunTracker? _runs;

    // Complete runs not yet emitted: waiting for their parent to be emitted, or held for their family.
    private readonly Dictionary<string, CompletedTurn> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _holdingForFamily = new(StringComparer.Ordinal);

    // The run ids of complete runs that nest under a run not yet emitted, by that parent's run id.
    private readonly Dictionary<string, List<string>> _dependents = new(StringComparer.Ordinal);

    // The spans a link's child and announce runs nest under, set when the parent is emitted. Attached to the link's
    // identity and no longer than it lives (Correlation's link and the snapshots of it): Correlation retires links, and
    // this table must not keep them (or grow).
    private readonly ConditionalWeakTable<LinkIdentity, ParentSpans> _parentSpans = new();

    public TurnScheduler(ITurnEmitter emitter, ReplayStatistics stats)
    {
        _emitter = emitter;
        _stats = stats;
    }

    private IRunTracker Runs => _runs ?? throw new InvalidOperationException("TurnScheduler.Track was not called.");

    /// <summary>Connects the correlator that hands turns here (it is built with this scheduler as its sink).</summary>
    public void Track(IRunTracker runs) => _runs = runs;

    /// <summary>Called with a turn's run id once all its spans, root included, were ended and so handed to the
    /// OpenTelemetry pipeline (a follow checkpoint's cue: after a flush, MLflow has them).</summary>
    public Action<string>? TurnExported { get; set; }

    /// <summary>Called with a turn's run id and the trace id of its spans just before its root span ends, that is before
    /// any exporter can send the turn (exporters send a trace when its local root ends): a follow checkpoint records the
    /// turn as in delivery, so that a restart can ask MLflow whether it arrived.</summary>
    public Action<string, ActivityTraceId>? TurnExporting { get; set; }

    public void Completed(CompletedTurn turn)
    {
        if (ParentHolding(turn) is { } parentRunId)
        {
            Dependents(parentRunId).Add(turn.RunId);
            _waiting[turn.RunId] = turn;
            if (_holdingForFamily.Contains(parentRunId) && _waiting.TryGetValue(parentRunId, out var parent))
            {
                ReleaseIfFamilyDone(parent);
            }

            return;
        }

        EmitOrHold(turn);
    }

    public void Discarded(string runId) => ReleaseDependents(runId);

    /// <summary>The turns still held get the link's new state; an emitted turn's spans keep what they said.</summary>
    public void LinkChanged(SubagentLinkSnapshot link)
    {
        List<CompletedTurn>? changed = null;
        foreach (var waiting in _waiting.Values)
        {
            if (waiting.WithLink(link) is var updated && !ReferenceEquals(updated, waiting))
            {
                (changed ??= new()).Add(updated);
            }
        }

        foreach (var turn in changed ?? [])
        {
            _waiting[turn.RunId] = turn;
        }
    }

    public void Reconsider(string parentRunId)
    {
        if (_waiting.TryGetValue(parentRunId, out var parent))
        {
            ReleaseIfFamilyDone(parent);
        }
    }

    public void Sweep()
    {
        if (_holdingForFamily.Count == 0)
        {
            return;
        }

        var held = new List<CompletedTurn>();
        foreach (var waiting in _waiting.Values)
        {
            if (_holdingForFamily.Contains(waiting.RunId))
            {
                held.Add(waiting);
            }
        }

        foreach (var turn in held)
        {
            ReleaseIfFamilyDone(turn);
        }
    }

    public void Drain()
    {
        var holding = new List<CompletedTurn>();
        foreach (var waiting in _waiting.Values)
        {
            if (_holdingForFamily.Contains(waiting.RunId))
            {
                holding.Add(waiting);
            }
        }

        holding.Sort(static (a, b) => a.FirstEventTime.CompareTo(b.FirstEventTime));
        foreach (var turn in holding)
        {
            if (_waiting.ContainsKey(turn.RunId) && _holdingForFamily.Remove(turn.RunId))
            {
                _waiting.Remove(turn.RunId);
                Emit(turn, forceRoot: false);
            }
        }

        // Only a cycle of parent links (which real streams do not produce) can leave runs waiting here.
        while (_waiting.Count > 0)
        {
            var enumerator = _waiting.Values.GetEnumerator();
            enumerator.MoveNext();
            var orphan = enumerator.Current;
            _waiting.Remove(orphan.RunId);
            Emit(orphan, forceRoot: true);
        }

        _holdingForFamily.Clear();
        _dependents.Clear();
    }

    private List<string> Dependents(string parentRunId)
    {
        if (!_dependents.TryGetValue(parentRunId, out var list))
        {
            list = new List<string>(1);
            _dependents.Add(parentRunId, list);
        }

        return list;
    }

    /// <summary>Emits a complete turn, unless sub-agent runs it spawned are still to come: then it is held.</summary>
    private void EmitOrHold(CompletedTurn turn)
    {
        if (Runs.FamilyPending(turn))
        {
            _holdingForFamily.Add(turn.RunId);
            _waiting[turn.RunId] = turn;
            return;
        }

        _holdingForFamily.Remove(turn.RunId);
        _waiting.Remove(turn.RunId);
        Emit(turn, forceRoot: false);
    }

    private void ReleaseIfFamilyDone(CompletedTurn turn)
    {
        if (_holdingForFamily.Contains(turn.RunId) && !Runs.FamilyPending(turn))
        {
            EmitOrHold(turn);
        }
    }

    /// <summary>The parent's run id, when the parent is still in flight or itself waiting: then this run must wait.</summary>
    private string? ParentHolding(CompletedTurn turn)
    {
        if (turn.Link is not { ParentRunId: { } parentRunId } link || parentRunId == turn.RunId || _parentSpans.TryGetValue(link.Identity, out _))
        {
            return null;
        }

        return Runs.IsInFlight(parentRunId) || _waiting.ContainsKey(parentRunId) ? parentRunId : null;
    }

    private void Emit(CompletedTurn turn, bool forceRoot)
    {
        var placement = forceRoot ? default : Placement(turn);
        EmittedTurn emitted;
        try
        {
            emitted = _emitter.Emit(turn, placement);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail-open: a turn the emitter chokes on is lost, the replay goes on.
            _stats.EmitFailures++;
            _stats.LastEmitFailure = ex.GetType().Name + ": " + ex.Message;
            emitted = default;
        }

        _stats.TurnsExported++;
        if (turn.IncompleteReason is not null)
        {
            _stats.TurnsIncomplete++;
        }

        if (emitted.Failed)
        {
            _stats.TurnsFailed++;
        }

        Runs.Exported(turn);

        // Keep the span contexts for the runs this turn spawned, so they nest even when they end later.
        foreach (var childLink in turn.ChildLinks)
        {
            if (childLink.ParentRunId != turn.RunId)
            {
                continue;
            }

            var toolContext = childLink.ParentToolCallId is { } toolCallId && emitted.ToolContexts is { } tools
                && tools.TryGetValue(toolCallId, out var context)
                ? context
                : default;
            _parentSpans.AddOrUpdate(childLink.Identity, new ParentSpans(emitted.RootContext, toolContext, turn.OpenClawTraceId));
        }

        ReleaseDependents(turn.RunId);
        TurnExporting?.Invoke(turn.RunId, emitted.RootContext.TraceId);
        try
        {
            _emitter.Close(emitted);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _stats.EmitFailures++;
            _stats.LastEmitFailure = ex.GetType().Name + ": " + ex.Message;
        }

        TurnExported?.Invoke(turn.RunId);
    }

    private void ReleaseDependents(string runId)
    {
        if (!_dependents.Remove(runId, out var dependents))
        {
            return;
        }

        foreach (var dependent in dependents)
        {
            if (_waiting.TryGetValue(dependent, out var turn))
            {
                EmitOrHold(turn);
            }
        }
    }

    /// <summary>
    /// Where a run goes: a sub-agent child under its <c>sessions_spawn</c> TOOL span (else its parent's root), an
    /// announce run under its parent's root; both only when OpenClaw put them in the parent's trace (same
    /// <c>ctx.trace.traceId</c>, §0.7). Otherwise the run is the root of a trace of its own.
    /// </summary>
    private TurnPlacement Placement(CompletedTurn turn)
    {
        if (turn.Link is not { } link || turn.Kind == TurnKind.User || !_parentSpans.TryGetValue(link.Identity, out var spans))
        {
            return default;
        }

        var sameTrace = turn.OpenClawTraceId is null || spans.OpenClawTraceId is null
            || string.Equals(turn.OpenClawTraceId, spans.OpenClawTraceId, StringComparison.OrdinalIgnoreCase);
        if (!sameTrace)
        {
            return new TurnPlacement(default, link.ParentRunId, SeparateTrace: true);
        }

        var parent = turn.Kind == TurnKind.Subagent && spans.Tool != default ? spans.Tool : spans.Root;
        return new TurnPlacement(parent, link.ParentRunId, SeparateTrace: false);
    }

    /// <summary>The parent's spans a link's runs nest under, and the parent's OpenClaw trace id.</summary>
    private sealed record ParentSpans(ActivityContext Root, ActivityContext Tool, string? OpenClawTraceId);
}
