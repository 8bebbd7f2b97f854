using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Emission;
using Instrumentation.OpenClaw.Input;
using Instrumentation.OpenClaw.Scheduling;

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
    private readonly TurnScheduler _scheduler;

    /// <summary>Creates a replay.</summary>
    /// <param name="options">The windows that decide when a turn is over; <see langword="null"/> for the defaults of
    /// <see cref="OpenClawReplayOptions"/>. The instance is kept and read as the replay runs: set it up before the first
    /// event.</param>
    public OpenClawReplay(OpenClawReplayOptions? options = null)
    {
        Statistics = new ReplayStatistics();
        // Input -> Correlation -> Scheduling -> Emission: each stage hands its result to the next.
        _scheduler = new TurnScheduler(new TurnEmitter(Statistics), Statistics);
        _correlator = new TurnCorrelator(options ?? new OpenClawReplayOptions(), _scheduler, Statistics);
        _scheduler.Track(_correlator);
    }

    /// <summary>What was read and produced so far (counts of lines, events, turns and spans), updated as the replay
    /// runs.</summary>
    public ReplayStatistics Statistics { get; }

    /// <summary>Turns held in memory: runs in flight plus complete runs waiting for the turn they nest under. Returns to
    /// zero after <see cref="Complete"/>.</summary>
    public int TurnsInFlight => _correlator.TurnsInFlight;

    /// <summary>Called with a turn's run id (<c>ctx.runId</c>) right after its spans were handed to the OpenTelemetry
    /// pipeline, sub-agent runs included; <see langword="null"/> for none. <c>follow</c> keeps its checkpoint with
    /// it.</summary>
    public Action<string>? TurnExported
    {
        get => _scheduler.TurnExported;
        set => _scheduler.TurnExported = value;
    }

    /// <summary>Called with a turn's run id and the OTLP trace id its spans carry just before the turn's root span ends,
    /// so before an exporter can send it; <see langword="null"/> for none. <c>follow</c> records the turn as in delivery
    /// in its checkpoint, and asks MLflow after a restart whether it arrived.</summary>
    public Action<string, ActivityTraceId>? TurnExporting
    {
        get => _scheduler.TurnExporting;
        set => _scheduler.TurnExporting = value;
    }

    /// <summary>Treats these runs as already exported, so that reading their events again (a restarted <c>follow</c>
    /// resuming before them) exports nothing twice: their events are counted as late events.</summary>
    /// <param name="runIds">The run ids (<c>ctx.runId</c>).</param>
    /// <param name="now">When they count as exported: they are remembered for
    /// <see cref="OpenClawReplayOptions.ExportedRunMemory"/> of the replay's clock after it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="runIds"/> is <see langword="null"/>.</exception>
    public void RememberExported(IEnumerable<string> runIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        _correlator.RememberExported(runIds, now);
    }

    internal int LinksHeld => _correlator.LinksHeld;

    internal int ExportedRunsRemembered => _correlator.ExportedRunsRemembered;

    /// <summary>Processes one parsed line: an event is replayed, a malformed or blank line counted
    /// (<see cref="ReplayStatistics.LinesRead"/> counts every line given here).</summary>
    /// <param name="line">The line, as <see cref="HookLineParser.Parse"/> or <see cref="HookFileReader"/> gives it.</param>
    /// <returns>The line's error (<see cref="HookParseResult.Error"/>), for the caller to report with
    /// <see cref="HookParseResult.Position"/>; <see langword="null"/> for an event or a blank line.</returns>
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

    /// <summary>Processes one event (not counted as a line).</summary>
    /// <param name="hookEvent">The event, in stream order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="hookEvent"/> is <see langword="null"/>.</exception>
    public void Process(HookEvent hookEvent)
    {
        ArgumentNullException.ThrowIfNull(hookEvent);
        _correlator.Process(hookEvent);
    }

    /// <summary>Processes every line of a stream, in order, as <see cref="Process(HookParseResult)"/> does; the lines'
    /// errors are only counted. Does not call <see cref="Complete"/>.</summary>
    /// <param name="lines">The parsed lines, for example <see cref="HookFileReader.ReadFile"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is <see langword="null"/>.</exception>
    /// <remarks>An exception thrown while enumerating <paramref name="lines"/> (for example an <see cref="System.IO.IOException"/>
    /// reading a file) propagates; what was processed before it stays processed.</remarks>
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
    /// <param name="now">The current time. An earlier time than the clock's leaves the clock where it is.</param>
    public void AdvanceClock(DateTimeOffset now) => _correlator.AdvanceClock(now);

    /// <summary>End of input: closes every turn still open (marking those whose end was never seen incomplete) and emits
    /// everything held; <see cref="TurnsInFlight"/> is then zero. Call it once, after the last event.</summary>
    public void Complete() => _correlator.Complete();
}
