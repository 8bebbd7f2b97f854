using System;

namespace Instrumentation.OpenClaw;

/// <summary>
/// The windows the replay waits before deciding that a turn is over. Times are measured on the stream's own clock
/// (the receipt times of the events), so a replay of a recording decides exactly as a live follow would; in follow mode
/// the wall clock also advances it once the reader has caught up (<see cref="OpenClawReplay.AdvanceClock"/>).
/// </summary>
/// <remarks>The values are not validated.</remarks>
public sealed class OpenClawReplayOptions
{
    /// <summary>
    /// How long after an attempt that ended in a provider error a retry may still start (OpenClaw backs off 1 to 30 s
    /// between its up to 8 attempts; docs/openclaw-hooks.md §3). When it passes without a new attempt, the turn is
    /// closed as failed. Default: 60 s.
    /// </summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long after a successful <c>agent_end</c> to wait for the attempt's <c>llm_output</c>, which OpenClaw
    /// sends after it without awaiting (§5.3). Default: 5 s.</summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long after a sub-agent child run's last attempt to wait for its <c>subagent_ended</c> (which carries
    /// the outcome and comes after the announce run, §3). Default: 30 s.</summary>
    public TimeSpan SubagentEndWindow { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A turn with no event for this long is closed and marked incomplete. Default: 10 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After this many attempts (a count) a failed turn is final without waiting for <see cref="RetryWindow"/>
    /// (OpenClaw's transient-error retry limit). Default: 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>
    /// How far an assistant message's <c>timestamp</c> (which OpenClaw sets to the model call's start, §0.5) may be from a
    /// model call's start and still be paired with it. Default: 2 s.
    /// </summary>
    public TimeSpan MessageMatchTolerance { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a sub-agent link is kept after the child was exported and <c>subagent_ended</c> arrived, so an
    /// announce run that starts late still nests under its parent. Default: 2 minutes.</summary>
    public TimeSpan LinkRetention { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an exported run's id is remembered, so its late events are counted instead of starting a bogus
    /// turn. Default: 10 minutes (at most 65,536 ids).</summary>
    public TimeSpan ExportedRunMemory { get; set; } = TimeSpan.FromMinutes(10);
}
