namespace Instrumentation.OpenClaw.Correlation;

/// <summary>
/// What Correlation hands downstream (to Scheduling): complete turns, frozen; later states of the sub-agent links they
/// hold; and the moments a held family may have become whole. Declared here so that Correlation names no type of a later
/// stage.
/// </summary>
internal interface ITurnSink
{
    /// <summary>A turn is complete, its provider calls linked. It never changes: a later event for its run id is
    /// counted as late, and a later change to one of its links comes through <see cref="LinkChanged"/>.</summary>
    void Completed(CompletedTurn turn);

    /// <summary>The run <paramref name="runId"/> closed with nothing a trace could show (only pre-run hooks): runs waiting
    /// for it stop waiting.</summary>
    void Discarded(string runId);

    /// <summary>
    /// A sub-agent link held by a turn already handed over changed: <c>subagent_ended</c> (its outcome, reason, error,
    /// <c>endedAt</c>) after the child completed, or a <c>subagent_*</c> hook or <c>sessions_spawn</c> result that filled
    /// in more of it. <paramref name="link"/> replaces every older snapshot of the same link
    /// (<see cref="SubagentLinkSnapshot.Identity"/>) in the turns not emitted yet.
    /// </summary>
    void LinkChanged(SubagentLinkSnapshot link);

    /// <summary>Something about the family of <paramref name="parentRunId"/> changed (a <c>subagent_ended</c>).</summary>
    void Reconsider(string parentRunId);

    /// <summary>The stream clock moved: families held for a window may be whole now.</summary>
    void Sweep();

    /// <summary>End of input: everything still held is emitted.</summary>
    void Drain();
}

/// <summary>
/// What Scheduling asks of Correlation about the stream, and tells it back: whether a run is still in flight, whether a
/// turn's sub-agent family can still grow, and that a turn's trace was exported (so its links can be retired).
/// Correlation answers from its own records of the turn, by run id.
/// </summary>
internal interface IRunTracker
{
    /// <summary>Whether <paramref name="runId"/> is a run in flight (not yet complete).</summary>
    bool IsInFlight(string runId);

    /// <summary>Whether a run <paramref name="turn"/> spawned is still to come (<see cref="TurnCorrelator"/>, Families).</summary>
    bool FamilyPending(CompletedTurn turn);

    /// <summary>The turn's spans were emitted (its root may still be open while its nested runs follow).</summary>
    void Exported(CompletedTurn turn);
}
