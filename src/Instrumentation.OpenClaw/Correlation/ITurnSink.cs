using System.Collections.Generic;
using System.Diagnostics;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>Receives complete turns, parents before the runs nested under them.</summary>
internal interface ITurnSink
{
    EmittedTurn Emit(TurnState turn, TurnPlacement placement);
}

/// <summary>Where a turn's root span goes.</summary>
/// <param name="Parent">The span to nest under; default for the root of a new trace.</param>
/// <param name="ParentRunId">The run this one belongs to, for a sub-agent or announce run (also when it could not nest).</param>
/// <param name="SeparateTrace">Whether the run has a parent but OpenClaw put it in another trace.</param>
internal readonly record struct TurnPlacement(ActivityContext Parent, string? ParentRunId, bool SeparateTrace);

/// <summary>What emitting a turn gave: the contexts later runs nest under.</summary>
/// <param name="RootContext">The turn's AGENT span.</param>
/// <param name="ToolContexts">The TOOL spans by tool call id, for <c>sessions_spawn</c> calls.</param>
/// <param name="Failed">Whether the turn ended in error.</param>
internal readonly record struct EmittedTurn(ActivityContext RootContext, IReadOnlyDictionary<string, ActivityContext>? ToolContexts, bool Failed);
