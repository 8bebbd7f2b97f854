// The live sub-agent link Correlation keeps while its runs are in flight, and the snapshots of it handed downstream.

using System;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>
/// The link between a parent run and a sub-agent child run (docs/openclaw-hooks.md §0.7, §4): made by
/// <c>subagent_spawned</c>/<c>subagent_progress</c> and confirmed by the <c>sessions_spawn</c> result; outlives the
/// parent's completion so the child and the announce run can still find their parent. The span contexts they nest under
/// are kept downstream, by Scheduling. It never leaves Correlation: downstream gets <see cref="Snapshot"/>s of it.
/// </summary>
internal sealed class SubagentLink
{
    public SubagentLink(string childRunId, DateTimeOffset created)
    {
        Identity = new LinkIdentity(childRunId);
        LastTouched = created;
    }

    /// <summary>The identity every snapshot of this link carries.</summary>
    public LinkIdentity Identity { get; }

    public string ChildRunId => Identity.ChildRunId;

    public string? ChildSessionKey { get; set; }

    public string? RequesterSessionKey { get; set; }

    public string? ParentRunId { get; set; }

    public string? ParentToolCallId { get; set; }

    public string? Label { get; set; }

    public string? Mode { get; set; }

    public string? AgentId { get; set; }

    public string? Outcome { get; set; }

    public string? EndReason { get; set; }

    public string? EndError { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public DateTimeOffset? EndedSeenAt { get; set; }

    public DateTimeOffset LastTouched { get; set; }

    /// <summary>Whether the child run's spans were emitted (<see cref="TurnCorrelator.Exported"/>).</summary>
    public bool ChildExported { get; set; }

    /// <summary>When the child run completed (stream clock), to bound the wait for its announce run.</summary>
    public DateTimeOffset? ChildCompletedAt { get; set; }

    /// <summary>Whether the announce run's spans were emitted.</summary>
    public bool AnnounceExported { get; set; }

    /// <summary>The last snapshot handed downstream (in a completed turn, or by <see cref="ITurnSink.LinkChanged"/>);
    /// <see langword="null"/> while no turn holding the link has completed.</summary>
    public SubagentLinkSnapshot? HandedOver { get; set; }

    /// <summary>The link's state now, as downstream sees it.</summary>
    public SubagentLinkSnapshot Snapshot() => new()
    {
        Identity = Identity,
        ChildSessionKey = ChildSessionKey,
        ParentRunId = ParentRunId,
        ParentToolCallId = ParentToolCallId,
        Label = Label,
        Mode = Mode,
        AgentId = AgentId,
        Outcome = Outcome,
        EndReason = EndReason,
        EndError = EndError,
        EndedAt = EndedAt,
    };
}
