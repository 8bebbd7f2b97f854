using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Emission;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw;

/// <summary>
/// Replays OpenClaw hook events as spans of the runtime's types (<c>Instrumentation.Agents</c> source): one AGENT span per
/// turn, LLM spans per provider call, TOOL spans per tool call, sub-agents nested under their spawning call. Feed it
/// events in stream order with <see cref="Process(HookEvent)"/>; each turn is emitted, with the timestamps the hooks
/// recorded, as soon as it is complete; call <see cref="Complete"/> at the end of input. See docs/openclaw-bridge.md.
/// </summary>
/// <example>
/// <code>
/// var replay = new OpenClawReplay();
/// foreach (var line in HookFileReader.ReadFile("gateway.jsonl")) replay.Process(line);
/// replay.Complete();
/// </code>
/// </example>
/// <remarks>Not thread-safe: one reader drives an instance. Never throws on input: malformed lines, unknown hooks and
/// events that fit no turn are counted in <see cref="Statistics"/>.</remarks>
public sealed class OpenClawReplay
{
    private readonly TurnCorrelator _correlator;

    /// <summary>Creates a replay.</summary>
    /// <param name="options">The windows that decide when a turn is over. Default: <see cref="OpenClawReplayOptions"/>'s.</param>
    public OpenClawReplay(OpenClawReplayOptions? options = null)
    {
        Statistics = new ReplayStatistics();
        _correlator = new TurnCorrelator(options ?? new OpenClawReplayOptions(), new TurnEmitter(Statistics), Statistics);
    }

    /// <summary>What was read and produced so far.</summary>
    public ReplayStatistics Statistics { get; }

    /// <summary>Turns held in memory: runs in flight plus complete runs waiting for the turn they nest under. Returns to
    /// zero after <see cref="Complete"/>.</summary>
    public int TurnsInFlight => _correlator.TurnsInFlight;

    internal int LinksHeld => _correlator.LinksHeld;

    internal int ExportedRunsRemembered => _correlator.ExportedRunsRemembered;

    /// <summary>Processes one parsed line: an event is replayed, a malformed or blank line counted.</summary>
    /// <returns>The line's error, for the caller to report with its position; <see langword="null"/> otherwise.</returns>
    public string? Process(HookParseResult line)
    {
        Statistics.LinesRead++;
        if (line.Event is { } hookEvent)
        {
            _correlator.Process(hookEvent);
            return null;
        }

        if (line.Error is { } error)
        {
            Statistics.MalformedLines++;
            return error;
        }

        Statistics.BlankLines++;
        return null;
    }

    /// <summary>Processes one event.</summary>
    public void Process(HookEvent hookEvent)
    {
        ArgumentNullException.ThrowIfNull(hookEvent);
        _correlator.Process(hookEvent);
    }

    /// <summary>Processes every line of a stream.</summary>
    public void ProcessAll(IEnumerable<HookParseResult> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            Process(line);
        }
    }

    /// <summary>
    /// Moves the replay's clock to <paramref name="now"/> (if later) and closes the turns whose windows have passed. Follow
    /// mode calls it with the wall clock once it has read everything available; a replay of a file needs no call, since
    /// the events' own times move the clock.
    /// </summary>
    public void AdvanceClock(DateTimeOffset now) => _correlator.AdvanceClock(now);

    /// <summary>End of input: closes every turn still open (marking those whose end was never seen incomplete) and emits
    /// everything held.</summary>
    public void Complete() => _correlator.Complete();
}
