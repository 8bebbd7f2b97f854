using System.Collections.Generic;

namespace Instrumentation.OpenClaw;

/// <summary>What a replay read and produced: the numbers behind the CLI's summary line.</summary>
public sealed class ReplayStatistics
{
    /// <summary>Lines read, blank ones included.</summary>
    public long LinesRead { get; internal set; }

    /// <summary>Well-formed hook lines (events) processed.</summary>
    public long EventsRead { get; internal set; }

    /// <summary>Malformed lines skipped.</summary>
    public long MalformedLines { get; internal set; }

    /// <summary>Blank lines skipped.</summary>
    public long BlankLines { get; internal set; }

    /// <summary>Events whose hook name OpenClaw does not define (counted, then ignored).</summary>
    public long UnknownHookEvents { get; internal set; }

    /// <summary>The distinct unknown hook names, up to 100.</summary>
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

    /// <summary>Of <see cref="TurnsExported"/>, those closed without their end (end of input or idle timeout).</summary>
    public long TurnsIncomplete { get; internal set; }

    /// <summary>Of <see cref="TurnsExported"/>, those that ended in error.</summary>
    public long TurnsFailed { get; internal set; }

    /// <summary>Runs closed with no agent activity at all (only the pre-run hooks), not exported.</summary>
    public long TurnsWithoutActivity { get; internal set; }

    /// <summary>Spans started (every type).</summary>
    public long SpansExported { get; internal set; }

    /// <summary>Turns the emitter failed on (lost; the replay went on).</summary>
    public long EmitFailures { get; internal set; }

    /// <summary>The last emitter failure, for the summary.</summary>
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
