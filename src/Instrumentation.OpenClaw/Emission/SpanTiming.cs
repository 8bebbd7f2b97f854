using System;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Emission;

/// <summary>
/// When a span starts and ends, and where each time came from (docs/openclaw-bridge.md, "Timestamps and what is marked
/// unknown"). The bridge never invents a time: a start or end its own hook did not give is taken from the nearest
/// observed time, named in <see cref="StartSource"/>/<see cref="EndSource"/>, and flagged
/// <see cref="StartUnknown"/>/<see cref="EndUnknown"/> when no observed time exists for it at all.
/// </summary>
/// <param name="Start">The span's start.</param>
/// <param name="End">The span's end (not necessarily after <paramref name="Start"/>; the emitter adds a tick then).</param>
/// <param name="StartSource">Where a start not taken from the span's own start hook came from (<see cref="TimingSources"/>).</param>
/// <param name="EndSource">Where an end not taken from the span's own end hook came from (<see cref="TimingSources"/>).</param>
/// <param name="StartUnknown">No observed time exists for the start: it is placed at the nearest one.</param>
/// <param name="EndUnknown">No observed time exists for the end: it is placed at the last event seen.</param>
internal readonly record struct SpanTiming(
    DateTimeOffset Start,
    DateTimeOffset End,
    string? StartSource,
    string? EndSource,
    bool StartUnknown,
    bool EndUnknown)
{
    /// <summary>
    /// The times of a call span (LLM, TOOL) from its records, in order of preference. Start: the start hook; else the
    /// end hook minus its duration (<paramref name="durationSource"/>); else <paramref name="secondaryStart"/>; else
    /// <paramref name="fallbackStart"/>, unknown. End: the end hook (the start plus the duration when both hooks were
    /// seen, since the duration is OpenClaw's own measure); else <paramref name="secondaryEnd"/>; else
    /// <paramref name="fallbackEnd"/> (never before the start), unknown.
    /// </summary>
    /// <param name="observedStart">The receipt time of the span's start hook, when it was seen.</param>
    /// <param name="observedEnd">The receipt time of the span's end hook, when it was seen.</param>
    /// <param name="durationMs">The duration the end hook reports, in milliseconds.</param>
    /// <param name="durationSource">The start source to report when the start is the end minus the duration.</param>
    /// <param name="secondaryStart">Another record's time that stands for the start (for example the assistant message's
    /// <c>timestamp</c>), with its source.</param>
    /// <param name="secondaryEnd">Another record's time that stands for the end (for example the assistant message's
    /// write), with its source.</param>
    /// <param name="fallbackStart">The nearest observed time, when nothing gives the start.</param>
    /// <param name="fallbackEnd">The nearest observed time (the attempt's end or last event), when nothing gives the end.</param>
    public static SpanTiming Of(
        DateTimeOffset? observedStart,
        DateTimeOffset? observedEnd,
        long? durationMs,
        string durationSource,
        SourcedTime? secondaryStart,
        SourcedTime? secondaryEnd,
        DateTimeOffset fallbackStart,
        DateTimeOffset fallbackEnd)
    {
        DateTimeOffset start;
        string? startSource = null;
        var startUnknown = false;
        if (observedStart is { } started)
        {
            start = started;
        }
        else if (observedEnd is { } endOnly && durationMs is { } duration)
        {
            start = endOnly - TimeSpan.FromMilliseconds(duration);
            startSource = durationSource;
        }
        else if (secondaryStart is { } standIn)
        {
            start = standIn.Time;
            startSource = standIn.Source;
        }
        else
        {
            start = fallbackStart;
            startUnknown = true;
        }

        DateTimeOffset end;
        string? endSource = null;
        var endUnknown = false;
        if (observedEnd is { } ended)
        {
            end = observedStart is not null && durationMs is { } ms ? start + TimeSpan.FromMilliseconds(ms) : ended;
        }
        else if (secondaryEnd is { } standIn)
        {
            end = standIn.Time;
            endSource = standIn.Source;
        }
        else
        {
            end = Max(fallbackEnd, start);
            endSource = TimingSources.LastEventSeen;
            endUnknown = true;
        }

        return new SpanTiming(start, end, startSource, endSource, startUnknown, endUnknown);
    }

    /// <summary>
    /// A turn starts at its first event (<c>before_agent_reply</c>, or an attempt that began earlier) and ends with its
    /// last attempt's <c>agent_end</c> (§4). A turn whose end was not observed ends at its last event, unknown; a sub-agent
    /// ended by OpenClaw (<c>subagent_ended</c>) ends at its <c>endedAt</c>. A turn whose first hook was not in the stream
    /// reports its start as <see cref="TimingSources.FirstEventSeen"/>.
    /// </summary>
    public static SpanTiming OfTurn(CompletedTurn turn)
    {
        var start = turn.FirstEventTime;
        foreach (var attempt in turn.Attempts)
        {
            if (attempt.StartTime < start)
            {
                start = attempt.StartTime;
            }
        }

        var startSource = turn.StartObserved ? null : TimingSources.FirstEventSeen;
        if (turn.LastAttempt is { EndTime: { } end })
        {
            return new SpanTiming(start, Max(end, start), startSource, EndSource: null, StartUnknown: false, EndUnknown: false);
        }

        if (turn.Link is { EndedAt: { } endedAt } && turn.Kind == TurnKind.Subagent && turn.IncompleteReason?.StartsWith("subagent_", StringComparison.Ordinal) == true)
        {
            return new SpanTiming(start, Max(endedAt, start), startSource, EndSource: null, StartUnknown: false, EndUnknown: false);
        }

        return new SpanTiming(start, turn.LastEventTime, startSource, TimingSources.LastEventSeen, StartUnknown: false, EndUnknown: true);
    }

    /// <summary>
    /// An attempt runs from its first hook to its <c>agent_end</c>. One whose end was not observed ends at the latest of
    /// its own records (and, for the turn's last attempt, not before the turn's end), unknown, with no end source.
    /// </summary>
    public static SpanTiming OfAttempt(CompletedAttempt attempt, DateTimeOffset? turnEnd)
    {
        if (attempt.EndTime is { } end)
        {
            return new SpanTiming(attempt.StartTime, end, StartSource: null, EndSource: null, StartUnknown: false, EndUnknown: false);
        }

        var last = attempt.StartTime;
        foreach (var call in attempt.Calls)
        {
            last = Max(last, call.Ended?.Time ?? call.Started?.Time ?? last);
        }

        foreach (var tool in attempt.Tools)
        {
            last = Max(last, tool.After?.Time ?? tool.Before?.Time ?? last);
        }

        foreach (var entry in attempt.Transcript)
        {
            last = Max(last, entry.WriteTime);
        }

        return new SpanTiming(attempt.StartTime, turnEnd is { } bound ? Max(bound, last) : last, StartSource: null, EndSource: null,
            StartUnknown: false, EndUnknown: true);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}

/// <summary>A time that stands in for a span's start or end, and the record it came from (<see cref="TimingSources"/>).</summary>
/// <param name="Time">The time.</param>
/// <param name="Source">The value of <c>openclaw.timing.start_source</c> or <c>openclaw.timing.end_source</c>.</param>
internal readonly record struct SourcedTime(DateTimeOffset Time, string Source)
{
    /// <summary><paramref name="time"/> with its source; <see langword="null"/> when there is no time.</summary>
    public static SourcedTime? Of(DateTimeOffset? time, string source) => time is { } value ? new SourcedTime(value, source) : null;
}

/// <summary>The values of <c>openclaw.timing.start_source</c> and <c>openclaw.timing.end_source</c>.</summary>
internal static class TimingSources
{
    /// <summary>Start: <c>model_call_ended</c>'s receipt minus its <c>durationMs</c>.</summary>
    public const string ModelCallEndedDuration = HookNames.ModelCallEnded + ".durationMs";

    /// <summary>Start of a provider_call invocation without its <c>before</c> record: the model call's start.</summary>
    public const string ModelCallStarted = HookNames.ModelCallStarted;

    /// <summary>Start: the assistant message's <c>timestamp</c>, which OpenClaw sets to the call's start (§0.5).</summary>
    public const string AssistantMessageTimestamp = "assistant_message.timestamp";

    /// <summary>Start: <c>after_tool_call</c>'s receipt minus its <c>durationMs</c>.</summary>
    public const string AfterToolCallDuration = HookNames.AfterToolCall + ".durationMs";

    /// <summary>Start: the provider_call <c>after</c>/<c>error</c> record's receipt minus its <c>durationMs</c>.</summary>
    public const string ProviderCallDuration = HookNames.ProviderCall + ".durationMs";

    /// <summary>Start of a turn whose first hook was not in the stream: its first event's time.</summary>
    public const string FirstEventSeen = "first_event_seen";

    /// <summary>End: the assistant message's write, right after the call ended (§0.5).</summary>
    public const string AssistantMessageWrite = "assistant_message_write";

    /// <summary>End: <c>tool_result_persist</c>'s receipt.</summary>
    public const string ToolResultPersist = HookNames.ToolResultPersist;

    /// <summary>End not observed: the span ends at the last event seen (of the attempt or the turn).</summary>
    public const string LastEventSeen = "last_event_seen";
}
