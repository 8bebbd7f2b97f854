using System.Collections.Generic;

namespace Instrumentation.OpenClaw;

/// <summary>
/// What a replay read and produced: the numbers behind the CLI's summary line. Every number is a count since the
/// replay was created; the replay updates them as it runs (read them between calls, from the thread that drives it).
/// </summary>
public sealed class ReplayStatistics
{
    /// <summary>Lines given to <see cref="OpenClawReplay.Process(Input.HookParseResult)"/>: events, malformed and blank
    /// lines.</summary>
    public long LinesRead { get; internal set; }

    /// <summary>Events processed, from well-formed lines or given directly; ignored and unknown hooks included.</summary>
    public long EventsRead { get; internal set; }

    /// <summary>Malformed lines skipped.</summary>
    public long MalformedLines { get; internal set; }

    /// <summary>Blank lines skipped.</summary>
    public long BlankLines { get; internal set; }

    /// <summary>Events whose hook name OpenClaw does not define (counted, then ignored).</summary>
    public long UnknownHookEvents { get; internal set; }

    /// <summary>The distinct unknown hook names (compared ordinally), the first 100 seen, in no particular order.</summary>
    public IReadOnlyCollection<string> UnknownHookNames => _unknownHookNames;

    /// <summary>Events of known hooks the spans do not use (gateway, cron, session, message hooks).</summary>
    public long IgnoredEvents { get; internal set; }

    /// <summary>Events that could not be attributed to a turn in flight (for example a user message written before
    /// its run's first hook, or a tool result of an unknown call).</summary>
    public long UnattributedEvents { get; internal set; }

    /// <summary>Events for a turn that was already exported (arrived after its windows closed).</summary>
    public long LateEvents { get; internal set; }

    /// <summary><c>subagent_ended</c> events for session keys never spawned (the <c>/reset</c> echo), ignored.</summary>
    public long SubagentEndedIgnored { get; internal set; }

    /// <summary>Turns exported (root AGENT spans, sub-agent and announce runs included).</summary>
    public long TurnsExported { get; internal set; }

    /// <summary>Of <see cref="TurnsExported"/>, those closed without their end: at the end of input, after the idle
    /// timeout, or a sub-agent that OpenClaw ended first (<c>instrumentation.incomplete_reason</c> on the root).</summary>
    public long TurnsIncomplete { get; internal set; }

    /// <summary>Of <see cref="TurnsExported"/>, those that ended in error: the last attempt failed, or a sub-agent ended
    /// with an outcome other than <c>ok</c> or <c>reset</c>.</summary>
    public long TurnsFailed { get; internal set; }

    /// <summary>Runs closed with no agent activity at all (only the pre-run hooks), not exported.</summary>
    public long TurnsWithoutActivity { get; internal set; }

    /// <summary>Spans started, of every type (AGENT, CHAIN, LLM, TOOL), whether or not a listener sampled them.</summary>
    public long SpansExported { get; internal set; }

    /// <summary>Turns the emitter failed on (lost; the replay went on), and failures to end an emitted turn's root.</summary>
    public long EmitFailures { get; internal set; }

    /// <summary>The last emitter failure as <c>"ExceptionType: message"</c>, for the summary; <see langword="null"/> when
    /// there was none.</summary>
    public string? LastEmitFailure { get; internal set; }

    private readonly HashSet<string> _unknownHookNames = new(System.StringComparer.Ordinal);

    internal void RecordUnknownHook(string hook)
    {
        UnknownHookEvents++;
        if (_unknownHookNames.Count < 100)
        {
            _unknownHookNames.Add(hook);
        }
    }
}
