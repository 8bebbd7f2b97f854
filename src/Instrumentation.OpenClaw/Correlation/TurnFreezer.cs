// The hand-over: a complete turn's builders become the read-only CompletedTurn, once, after its provider calls are
// linked (ProviderCallLinker). The outcomes of attempts and calls are decided here too (Outcomes), from the same linked
// state Emission used to read, so Emission only reads them.

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
        var unlinked = new Dictionary<AttemptBuilder, ImmutableArray<CompletedProviderCall>.Builder>();
        if (turn.ProviderCallsById is { } invocations)
        {
            foreach (var invocation in invocations.Values)
            {
                if (invocation.Call is null && invocation.OwnAttempt is { } owner)
                {
                    if (!unlinked.TryGetValue(owner, out var list))
                    {
                        list = ImmutableArray.CreateBuilder<CompletedProviderCall>();
                        unlinked.Add(owner, list);
                    }

                    list.Add(Freeze(invocation));
                }
            }
        }

        var attempts = ImmutableArray.CreateBuilder<CompletedAttempt>(turn.Attempts.Count);
        foreach (var attempt in turn.Attempts)
        {
            attempts.Add(Freeze(attempt, entries, unlinked.TryGetValue(attempt, out var ofAttempt) ? ofAttempt.ToImmutable() : ImmutableArray<CompletedProviderCall>.Empty));
        }

        var childLinks = ImmutableArray<SubagentLinkSnapshot>.Empty;
        if (turn.ChildLinks is { Count: > 0 } links)
        {
            var builder = ImmutableArray.CreateBuilder<SubagentLinkSnapshot>(links.Count);
            foreach (var link in links)
            {
                builder.Add(HandOver(link));
            }

            childLinks = builder.MoveToImmutable();
        }

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
            Attempts = attempts.MoveToImmutable(),
            ToolDescriptions = turn.ToolDescriptions,
            Link = turn.Link is { } own ? HandOver(own) : null,
            AnnouncedChildRunId = turn.AnnouncedChildRunId,
            ChildLinks = childLinks,
            IncompleteReason = turn.IncompleteReason,
        };
    }

    private static SubagentLinkSnapshot HandOver(SubagentLink link)
    {
        var snapshot = link.Snapshot();
        link.HandedOver = snapshot;
        return snapshot;
    }

    private static CompletedAttempt Freeze(AttemptBuilder attempt, Dictionary<TranscriptEntryBuilder, CompletedTranscriptEntry> entries,
        ImmutableArray<CompletedProviderCall> unlinked)
    {
        var transcript = ImmutableArray.CreateBuilder<CompletedTranscriptEntry>(attempt.Transcript.Count);
        foreach (var entry in attempt.Transcript)
        {
            transcript.Add(Entry(entry, entries));
        }

        var calls = ImmutableArray.CreateBuilder<CompletedModelCall>(attempt.Calls.Count);
        foreach (var call in attempt.Calls)
        {
            var providerCalls = ImmutableArray<CompletedProviderCall>.Empty;
            if (call.ProviderCalls is { Count: > 0 } invocations)
            {
                var builder = ImmutableArray.CreateBuilder<CompletedProviderCall>(invocations.Count);
                foreach (var invocation in invocations)
                {
                    builder.Add(Freeze(invocation));
                }

                providerCalls = builder.MoveToImmutable();
            }

            calls.Add(new CompletedModelCall
            {
                Started = call.Started,
                Ended = call.Ended,
                CallId = call.CallId,
                SpanId = call.SpanId,
                Message = call.Message is { } message ? Entry(message, entries) : null,
                ProviderCalls = providerCalls,
                IsCompaction = call.IsCompaction,
                StartTime = call.StartTime,
                Failure = Outcomes.OfCall(call),
            });
        }

        var tools = ImmutableArray.CreateBuilder<CompletedToolCall>(attempt.Tools.Count);
        foreach (var tool in attempt.Tools)
        {
            tools.Add(new CompletedToolCall
            {
                ToolCallId = tool.ToolCallId,
                ToolName = tool.ToolName,
                Before = tool.Before,
                After = tool.After,
                Persisted = tool.Persisted,
                SpawnedRunId = tool.SpawnedRunId,
            });
        }

        return new CompletedAttempt
        {
            Number = attempt.Number,
            StartTime = attempt.StartTime,
            AgentSpanId = attempt.AgentSpanId,
            Input = attempt.Input,
            End = attempt.End,
            Output = attempt.Output,
            Failure = Outcomes.OfAttempt(attempt),
            Calls = calls.MoveToImmutable(),
            Tools = tools.MoveToImmutable(),
            Transcript = transcript.MoveToImmutable(),
            UnlinkedProviderCalls = unlinked,
            FirstCallStart = attempt.FirstCallStart,
        };
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
