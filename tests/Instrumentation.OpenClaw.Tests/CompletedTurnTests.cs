using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Emission;
using Instrumentation.OpenClaw.Input;
using Instrumentation.OpenClaw.Scheduling;
using Instrumentation.Runtime.Usage;
using Instrumentation.Testing;
using static Instrumentation.OpenClaw.Tests.SpanAssertions;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// The hand-over from Correlation (docs/architecture.md, "OpenClaw bridge"): a complete turn goes downstream frozen, and
/// what Correlation learns about a sub-agent link afterwards (a <c>subagent_ended</c> that comes after the child
/// completed) goes down as a value of its own, so the child still gets its outcome.
/// </summary>
public sealed class CompletedTurnTests
{
    private const string ParentRunId = "9ee0e57c-44be-4daf-bb89-1fc4c8deef7a";
    private const string ChildRunId = "90aef922-f402-4f7c-8de7-f51a68bdf089";

    // gateway-subagent: the child's agent_end (seq 97) and its subagent_ended (seq 114).
    private const long ChildAgentEndMs = 1795307241454;

    /// <summary>
    /// gateway-subagent without its <c>subagent_ended</c>; then an event of another session 31 s after the child's
    /// <c>agent_end</c>, past the sub-agent end window, so the child completes without its outcome while its parent
    /// holds the family for the same window; then, 40 s after, a <c>subagent_ended</c> that says the sub-agent failed.
    /// </summary>
    private static (List<string> BeforeEnd, string LateEnd) LateSubagentEnd()
    {
        var lines = Lines.Of("gateway-subagent.jsonl");
        var ended = lines.Single(l => Lines.Hook(l) == "subagent_ended");
        lines.Remove(ended);
        lines.Add(Lines.Make("cron_changed", ChildAgentEndMs + 31_000, new JsonObject()));

        var lateEnd = Lines.Node(ended);
        lateEnd["tsMs"] = ChildAgentEndMs + 40_000;
        lateEnd.Remove("ts");
        lateEnd["event"]!["outcome"] = "error";
        lateEnd["event"]!["reason"] = "subagent-error";
        lateEnd["event"]!["error"] = "the sub-agent crashed";
        return (lines, lateEnd.ToJsonString());
    }

    [Fact]
    public void A_sub_agent_whose_subagent_ended_comes_after_it_completed_gets_that_outcome_on_its_span()
    {
        var (beforeEnd, lateEnd) = LateSubagentEnd();
        using var collector = new SpanCollector();
        var replay = new OpenClawReplay();
        foreach (var line in beforeEnd)
        {
            replay.Process(HookLineParser.Parse(line, new SourcePosition("late-end", 0)));
        }

        // The child is complete, but the parent holds the family for its subagent_ended: nothing is emitted yet.
        Assert.Empty(collector.Spans);

        replay.Process(HookLineParser.Parse(lateEnd, new SourcePosition("late-end", 0)));
        var child = Assert.Single(collector.Spans, s => s.Tag(OpenClawAttributes.RunId) == ChildRunId);
        replay.Complete();

        Assert.Equal("error", child.Tag(OpenClawAttributes.SubagentOutcome));
        Assert.Equal("subagent-error", child.Tag(OpenClawAttributes.SubagentEndReason));
        Assert.Equal(ActivityStatusCode.Error, child.Status);
        Assert.Equal("the sub-agent crashed", child.StatusDescription);
        Assert.Equal("subagent_error", child.Tag("error.type"));
        // Still nested under its sessions_spawn call, and still ending at its own agent_end.
        var spawn = collector.Spans.Single(s => s.SpanId == child.ParentSpanId);
        Assert.Equal("sessions_spawn", spawn.DisplayName);
        Assert.Equal(Ms(ChildAgentEndMs), child.EndUtc());
    }

    [Fact]
    public void The_turn_handed_downstream_does_not_change_when_later_events_for_its_run_arrive()
    {
        var (beforeEnd, lateEnd) = LateSubagentEnd();
        var lines = Lines.Of("gateway-subagent.jsonl");
        var lateDuplicates = new[] { "agent_end", "llm_output" }
            .Select(hook => lines.Single(l => Lines.Hook(l) == hook && Lines.Node(l)["ctx"]?["runId"]?.GetValue<string>() == ChildRunId))
            .Select(l => Lines.Shift(l, 45_000))
            .ToList();

        using var collector = new SpanCollector();
        var stats = new ReplayStatistics();
        var scheduler = new TurnScheduler(new TurnEmitter(stats), stats);
        var sink = new RecordingSink(scheduler);
        var correlator = new TurnCorrelator(new OpenClawReplayOptions(), sink, stats);
        scheduler.Track(correlator);
        void Feed(string line) => correlator.Process(HookLineParser.Parse(line, new SourcePosition("late", 0)).Event!);

        beforeEnd.ForEach(Feed);
        var child = Assert.Single(sink.Completed, t => t.RunId == ChildRunId);
        Assert.Equal(TurnKind.Subagent, child.Kind);
        Assert.Equal(ParentRunId, child.Link!.ParentRunId);
        Assert.Null(child.Link.Outcome);

        Feed(lateEnd);
        var lateBefore = stats.LateEvents;
        lateDuplicates.ForEach(Feed);
        correlator.Complete();

        // The late duplicates are counted and start no turn; the turn handed over still holds the link as it was then.
        Assert.Equal(lateBefore + 2, stats.LateEvents);
        Assert.Single(sink.Completed, t => t.RunId == ChildRunId);
        Assert.Null(child.Link.Outcome);
        Assert.Null(child.Link.EndedAt);

        // The outcome went down as a snapshot of the same link, and is what the child's span shows.
        var change = Assert.Single(sink.LinkChanges, c => c.Outcome is not null);
        Assert.Same(child.Link.Identity, change.Identity);
        Assert.Equal(("error", "subagent-error", "the sub-agent crashed"), (change.Outcome, change.EndReason, change.EndError));
        var span = Assert.Single(collector.Spans, s => s.Tag(OpenClawAttributes.RunId) == ChildRunId);
        Assert.Equal("error", span.Tag(OpenClawAttributes.SubagentOutcome));
    }

    /// <summary>Everything reachable from a <see cref="CompletedTurn"/> is read-only: no settable property, no writable
    /// field, no mutable collection (the events and messages of Input included).</summary>
    [Fact]
    public void Nothing_reachable_from_a_completed_turn_can_be_set()
    {
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>();
        pending.Enqueue(typeof(CompletedTurn));
        while (pending.Count > 0)
        {
            var type = pending.Dequeue();
            if (!seen.Add(type) || IsLeaf(type))
            {
                continue;
            }

            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                pending.Enqueue(underlying);
                continue;
            }

            if (type.IsGenericType && s_readOnlyCollections.Contains(type.GetGenericTypeDefinition()))
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    pending.Enqueue(argument);
                }

                continue;
            }

            if (type.Assembly != typeof(CompletedTurn).Assembly && type.Assembly != typeof(TokenUsage).Assembly)
            {
                problems.Add($"{type}: not an immutable collection or a bridge or runtime type");
                continue;
            }

            const BindingFlags members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            for (var declaring = type; declaring is not null && declaring != typeof(object); declaring = declaring.BaseType)
            {
                foreach (var field in declaring.GetFields(members))
                {
                    if (!field.IsInitOnly)
                    {
                        problems.Add($"{declaring.Name}.{field.Name}: writable field");
                    }

                    pending.Enqueue(field.FieldType);
                }

                foreach (var property in declaring.GetProperties(members))
                {
                    if (property.Name == "EqualityContract")
                    {
                        continue; // a record's own type, generated by the compiler
                    }

                    if (property.SetMethod is { } setter
                        && !setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit)))
                    {
                        problems.Add($"{declaring.Name}.{property.Name}: settable");
                    }

                    pending.Enqueue(property.PropertyType);
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Contains(typeof(SubagentLinkSnapshot), seen);
        Assert.Contains(typeof(TranscriptMessage), seen);
    }

    private static readonly HashSet<Type> s_readOnlyCollections =
    [
        typeof(ImmutableArray<>), typeof(IReadOnlyList<>), typeof(IReadOnlyDictionary<,>), typeof(IReadOnlyCollection<>),
    ];

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTimeOffset)
        || type == typeof(TimeSpan) || type == typeof(System.Text.Json.JsonElement);

    /// <summary>Passes everything on to the real scheduler and keeps what Correlation handed over.</summary>
    private sealed class RecordingSink : ITurnSink
    {
        private readonly TurnScheduler _next;

        public RecordingSink(TurnScheduler next)
        {
            _next = next;
        }

        public List<CompletedTurn> Completed { get; } = new();

        public List<SubagentLinkSnapshot> LinkChanges { get; } = new();

        void ITurnSink.Completed(CompletedTurn turn)
        {
            Completed.Add(turn);
            _next.Completed(turn);
        }

        public void Discarded(string runId) => _next.Discarded(runId);

        public void LinkChanged(SubagentLinkSnapshot link)
        {
            LinkChanges.Add(link);
            _next.LinkChanged(link);
        }

        public void Reconsider(string parentRunId) => _next.Reconsider(parentRunId);

        public void Sweep() => _next.Sweep();

        public void Drain() => _next.Drain();
    }
}
