using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.OpenClaw.Scheduling;

/// <summary>Makes the spans of one complete turn (the Emission stage); called by <see cref="TurnScheduler"/>, parents
/// before the runs nested under them. A function of the frozen turn and its placement: it writes nothing back.</summary>
internal interface ITurnEmitter
{
    /// <summary>Emits the turn's spans; its root span stays open until <see cref="Close"/>, so the runs nested under it
    /// can be emitted first and the root is the trace's last span to end (exporters send a trace when its root ends).</summary>
    EmittedTurn Emit(CompletedTurn turn, TurnPlacement placement);

    /// <summary>Ends the root span of an emitted turn.</summary>
    void Close(in EmittedTurn emitted);
}

/// <summary>Where a turn's root span goes.</summary>
/// <param name="Parent">The span to nest under; default for the root of a new trace.</param>
/// <param name="ParentRunId">The run this one belongs to, for a sub-agent or announce run (also when it could not nest).</param>
/// <param name="SeparateTrace">Whether the run has a parent but OpenClaw put it in another trace.</param>
internal readonly record struct TurnPlacement(ActivityContext Parent, string? ParentRunId, bool SeparateTrace);

/// <summary>What emitting a turn gave: the contexts later runs nest under, and its root, still open.</summary>
/// <param name="RootContext">The turn's AGENT span.</param>
/// <param name="ToolContexts">The TOOL spans by tool call id, for <c>sessions_spawn</c> calls.</param>
/// <param name="Failed">Whether the turn ended in error.</param>
/// <param name="Root">The root span, still open.</param>
/// <param name="RootStart">When the root span started.</param>
/// <param name="RootEnd">When the root span ends.</param>
internal readonly record struct EmittedTurn(ActivityContext RootContext, IReadOnlyDictionary<string, ActivityContext>? ToolContexts, bool Failed,
    LiveSpan Root = default, DateTimeOffset RootStart = default, DateTimeOffset RootEnd = default);
