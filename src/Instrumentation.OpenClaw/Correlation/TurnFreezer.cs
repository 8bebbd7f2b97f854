// The hand-over: a complete turn's builders become the read-only CompletedTurn, once, after its provider calls are
// linked (ProviderCallLinker). The outcomes of attempts and calls are decided here too (Outcomes), from the same linked
// state Emission used to read, so Emission only reads them.

using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>Builds the <see cref="CompletedTurn"/> of a complete turn from its builders.</summary>
internal static class TurnFreezer
{
    /// <summary>
    /// The frozen turn. The snapshots of its links are recorded as handed over
    /// (<see cref="SubagentLink.HandedOver"/>), so that a later change to a link is passed on as a snapshot of its own.
    /// </summary>
    public static CompletedTurn Freeze(TurnBuilder turn)
    {
        // A transcript entry is one object downstream too: the call's Message is the entry in its attempt's transcript.
        var entries = new Dictionary<TranscriptEntryBuilder, CompletedTranscriptEntry>();
        return new CompletedTurn
        {
            RunId = turn.RunId,
            Kind = turn.Kind,
            SessionKey = turn.SessionKey,
            SessionId = turn.SessionId,
            AgentId = turn.AgentId,
            Trigger = turn.Trigger,
            Channel = turn.Channel,
            OpenClawTraceId = turn.OpenClawTraceId,
            FirstEventTime = turn.FirstEventTime,
            LastEventTime = turn.LastEventTime,
            StartObserved = turn.StartObserved,
            UserText = turn.UserText,
            ResolvedModelRef = turn.ResolvedModelRef,
            Attempts = All(turn.Attempts, attempt => Freeze(turn, attempt, entries)),
            ToolDescriptions = turn.ToolDescriptions,
            Link = turn.Link is { } own ? HandOver(own) : null,
            AnnouncedChildRunId = turn.AnnouncedChildRunId,
            ChildLinks = All(turn.ChildLinks, HandOver),
            IncompleteReason = turn.IncompleteReason,
        };
    }

    private static SubagentLinkSnapshot HandOver(SubagentLink link)
    {
        var snapshot = link.Snapshot();
        link.HandedOver = snapshot;
        return snapshot;
    }

    private static CompletedAttempt Freeze(TurnBuilder turn, AttemptBuilder attempt, Dictionary<TranscriptEntryBuilder, CompletedTranscriptEntry> entries) =>
        new()
        {
            Number = attempt.Number,
            StartTime = attempt.StartTime,
            AgentSpanId = attempt.AgentSpanId,
            Input = attempt.Input,
            End = attempt.End,
            Output = attempt.Output,
            Failure = Outcomes.OfAttempt(attempt),
            Calls = All(attempt.Calls, call => new CompletedModelCall
            {
                Started = call.Started,
                Ended = call.Ended,
                CallId = call.CallId,
                SpanId = call.SpanId,
                Message = call.Message is { } message ? Entry(message, entries) : null,
                ProviderCalls = All(call.ProviderCalls, Freeze),
                IsCompaction = call.IsCompaction,
                StartTime = call.StartTime,
                Failure = Outcomes.OfCall(call),
            }),
            Tools = All(attempt.Tools, static tool => new CompletedToolCall
            {
                ToolCallId = tool.ToolCallId,
                ToolName = tool.ToolName,
                Before = tool.Before,
                After = tool.After,
                Persisted = tool.Persisted,
                SpawnedRunId = tool.SpawnedRunId,
            }),
            Transcript = All(attempt.Transcript, entry => Entry(entry, entries)),
            UnlinkedProviderCalls = Unlinked(turn, attempt),
            FirstCallStart = attempt.FirstCallStart,
        };

    /// <summary>The attempt's provider invocations that serve no model call (<see cref="ProviderCallBuilder.OwnAttempt"/>),
    /// in the order their first record came.</summary>
    private static ImmutableArray<CompletedProviderCall> Unlinked(TurnBuilder turn, AttemptBuilder attempt)
    {
        if (turn.ProviderCallsById is not { Count: > 0 } invocations)
        {
            return ImmutableArray<CompletedProviderCall>.Empty;
        }

        var own = ImmutableArray.CreateBuilder<CompletedProviderCall>();
        foreach (var invocation in invocations.Values)
        {
            if (invocation.Call is null && invocation.OwnAttempt == attempt)
            {
                own.Add(Freeze(invocation));
            }
        }

        return own.ToImmutable();
    }

    /// <summary>Each builder of <paramref name="builders"/> (none for <see langword="null"/>) frozen, in order.</summary>
    private static ImmutableArray<TFrozen> All<TBuilder, TFrozen>(List<TBuilder>? builders, Func<TBuilder, TFrozen> freeze)
    {
        if (builders is not { Count: > 0 })
        {
            return ImmutableArray<TFrozen>.Empty;
        }

        var frozen = ImmutableArray.CreateBuilder<TFrozen>(builders.Count);
        foreach (var builder in builders)
        {
            frozen.Add(freeze(builder));
        }

        return frozen.MoveToImmutable();
    }

    private static CompletedTranscriptEntry Entry(TranscriptEntryBuilder entry, Dictionary<TranscriptEntryBuilder, CompletedTranscriptEntry> entries)
    {
        if (!entries.TryGetValue(entry, out var frozen))
        {
            frozen = new CompletedTranscriptEntry(entry.Message, entry.WriteTime, entry.Call is not null, entry.Call?.StartTime);
            entries.Add(entry, frozen);
        }

        return frozen;
    }

    private static CompletedProviderCall Freeze(ProviderCallBuilder invocation) => new()
    {
        CallId = invocation.CallId,
        Before = invocation.Before,
        FirstChunk = invocation.FirstChunk,
        After = invocation.After,
        Error = invocation.Error,
        Any = invocation.Any!,
        StartTime = invocation.StartTime,
    };
}
