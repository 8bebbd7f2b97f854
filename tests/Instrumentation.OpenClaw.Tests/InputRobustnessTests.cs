using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Testing;
using static Instrumentation.OpenClaw.Tests.SpanAssertions;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>Malformed, truncated and reordered input: what is reported, what is recovered.</summary>
public sealed class InputRobustnessTests
{
    private static string Shape(ReplayRun run) =>
        string.Join(" | ", run.Spans.OrderBy(s => s.StartTimeUtc).Select(s => $"{s.Type()} {s.DisplayName} {s.Status} {s.Usage()} {s.Duration.TotalMilliseconds}"));

    [Fact]
    public void Malformed_lines_are_reported_with_file_and_line_and_skipped()
    {
        var lines = Lines.Of("gateway-tool.jsonl");
        var clean = ReplayRun.OfLines(lines);
        lines.Insert(1, "this is not json");
        lines.Insert(3, "[1, 2, 3]");
        lines.Insert(5, "{\"hook\": 5, \"tsMs\": 1, \"event\": {}}");
        lines.Insert(7, "{\"hook\": \"llm_input\", \"event\": {}, \"ctx\": {}}");
        lines.Insert(9, "");
        lines.Insert(11, "{\"hook\": \"brand_new_hook\", \"tsMs\": 1795307217500, \"event\": {}, \"ctx\": {}}");
        lines.Insert(13, "{\"hook\": \"model_call_ended\", \"tsMs\": 1795307217600, \"event\": \"oops\", \"ctx\": {}}");
        lines.Add("{\"hook\":\"llm_output\",\"tsMs\":17953072");

        var run = ReplayRun.OfLines(lines, "cut.jsonl");

        Assert.Equal(6, run.Stats.MalformedLines);
        Assert.Equal(1, run.Stats.BlankLines);
        Assert.Equal(1, run.Stats.UnknownHookEvents);
        Assert.Contains("brand_new_hook", run.Stats.UnknownHookNames);
        Assert.StartsWith("cut.jsonl:2: invalid JSON", run.Errors[0], StringComparison.Ordinal);
        Assert.Equal("cut.jsonl:4: not a JSON object", run.Errors[1]);
        Assert.Equal("cut.jsonl:6: missing \"hook\" (a string)", run.Errors[2]);
        Assert.StartsWith("cut.jsonl:8: missing time", run.Errors[3], StringComparison.Ordinal);
        Assert.Equal("cut.jsonl:14: missing \"event\" (an object)", run.Errors[4]);
        Assert.StartsWith($"cut.jsonl:{lines.Count}: invalid JSON", run.Errors[5], StringComparison.Ordinal);
        Assert.Equal(Shape(clean), Shape(run));
    }

    [Fact]
    public void A_capture_cut_mid_turn_closes_the_turn_at_its_last_event_marked_incomplete()
    {
        var lines = Lines.Of("gateway-tool.jsonl");
        var cut = lines.Take(Lines.IndexOfSeq(lines, 33) + 1).ToList(); // ... after_tool_call (00:26:58.358)

        var run = ReplayRun.OfLines(cut);

        var root = Assert.Single(run.Roots);
        Assert.True(root.IsIncomplete());
        Assert.Equal("end_of_input", root.Tag("instrumentation.incomplete_reason"));
        Assert.Equal("True", root.Tag(OpenClawAttributes.TimingEndUnknown));
        Assert.Equal(Ms(1795307218358), root.EndUtc());
        Assert.Equal(1, run.Stats.TurnsIncomplete);
        // What was seen is complete: the first call and the tool.
        Assert.Equal(new[] { "LLM", "TOOL" }, run.ChildrenOf(root).Select(c => c.Type()));
        Assert.All(run.ChildrenOf(root), c => Assert.False(c.IsIncomplete()));
        Assert.Equal(0, run.Replay.TurnsInFlight);
    }

    [Fact]
    public void A_call_cut_before_its_end_is_an_incomplete_llm_span_ending_at_the_last_event()
    {
        var lines = Lines.Of("gateway-tool.jsonl");
        var cut = lines.Take(Lines.IndexOfSeq(lines, 36) + 1).ToList(); // ... model_call_started of call 2 (218390)
        cut.Add(Lines.Make("cron_changed", 1795307219000, new JsonObject())); // a later, unrelated event

        var run = ReplayRun.OfLines(cut);

        var llm = run.OfType("LLM").ToList();
        Assert.Equal(2, llm.Count);
        Assert.False(llm[0].IsIncomplete());
        Assert.True(llm[1].IsIncomplete());
        Assert.Equal("True", llm[1].Tag(OpenClawAttributes.TimingEndUnknown));
        Assert.Equal(Ms(1795307218390), llm[1].StartTimeUtc);
        // The turn's last own event is that call's start: nothing later is invented.
        Assert.Equal(Ms(1795307218390), Assert.Single(run.Roots).EndUtc());
        Assert.True(llm[1].Duration <= TimeSpan.FromTicks(1));
    }

    /// <summary>
    /// model_call_* hooks are fire-and-forget (docs/openclaw-hooks.md §1), so they can arrive late. Recoverable: an end
    /// before its start, an assistant message before its call's end or even its start (paired by the message's
    /// call-start timestamp), after_tool_call before before_tool_call, llm_output before agent_end. With or without
    /// OpenClaw's trace context (then calls pair first-in-first-out by callId).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reordered_hooks_within_a_turn_give_the_same_tree(bool withTrace)
    {
        var lines = Lines.Of("gateway-tool.jsonl");
        if (!withTrace)
        {
            lines = lines.Select(Lines.WithoutTrace).ToList();
        }

        var clean = ReplayRun.OfLines(lines);
        var byHook = new Func<long, string>(seq => lines[Lines.IndexOfSeq(lines, seq)]);
        // seq: 29 started(1) 30 ended(1) 31 assistant(1) 32 before_tool 33 after_tool 36 started(2) 37 ended(2)
        // 38 assistant(2) 40 agent_end 41 llm_output
        var order = new long[] { 21, 22, 23, 24, 25, 26, 27, 28, 31, 30, 29, 33, 32, 34, 35, 37, 38, 36, 39, 41, 40 };
        var reordered = order.Select(byHook).ToList();

        var run = ReplayRun.OfLines(reordered);

        Assert.Equal(Shape(clean), Shape(run));
        Assert.Equal(0, run.Stats.LateEvents);
        Assert.Equal(0, run.Stats.TurnsIncomplete);
    }

    [Fact]
    public void Without_model_call_hooks_each_assistant_message_still_gives_an_llm_span()
    {
        var lines = Lines.Of("gateway-tool.jsonl").Where(l => !Lines.Hook(l).StartsWith("model_call_", StringComparison.Ordinal)).ToList();

        var run = ReplayRun.OfLines(lines);

        var llm = run.OfType("LLM").ToList();
        Assert.Equal(2, llm.Count);
        Assert.All(llm, s => Assert.Equal("transcript", s.Tag(OpenClawAttributes.LlmSource)));
        Assert.Equal((10433L, 20L, 5216L), llm[0].Usage());
        // From the message's timestamp (the call's start) to its write.
        Assert.Equal(Ms(1795307218060), llm[0].StartTimeUtc);
        Assert.Equal(Ms(1795307218247), llm[0].EndUtc());
    }

    [Fact]
    public void Subagent_ended_for_a_key_never_spawned_is_ignored()
    {
        var lines = Lines.Of("gateway-simple.jsonl");
        var clean = ReplayRun.OfLines(lines);
        // What /reset emits for the session itself (docs/openclaw-hooks.md §3, §5.11).
        lines.Add(Lines.Make("subagent_ended", 1795307290000, new JsonObject
        {
            ["targetSessionKey"] = "agent:main:gw-simple-1795307281",
            ["targetKind"] = "acp",
            ["reason"] = "session-reset",
            ["outcome"] = "reset",
        }, new JsonObject { ["childSessionKey"] = "agent:main:gw-simple-1795307281" }));

        var run = ReplayRun.OfLines(lines);

        Assert.Equal(1, run.Stats.SubagentEndedIgnored);
        Assert.Equal(Shape(clean), Shape(run));
    }

    [Fact]
    public void Llm_output_after_the_settle_window_is_a_late_event_not_a_new_turn()
    {
        var lines = Lines.Of("gateway-simple.jsonl");
        var output = lines[^1];
        lines.RemoveAt(lines.Count - 1);
        lines.Add(Lines.Make("cron_changed", Lines.TsMs(output) + 6_000, new JsonObject()));
        lines.Add(Lines.Shift(output, 7_000));

        var run = ReplayRun.OfLines(lines);

        Assert.Single(run.Roots);
        Assert.Equal(1, run.Stats.LateEvents);
        Assert.Equal(0, run.Stats.TurnsIncomplete);
    }

    [Fact]
    public void A_turn_with_no_event_for_the_idle_timeout_is_closed_incomplete_without_waiting_for_the_end_of_input()
    {
        var lines = Lines.Of("gateway-tool.jsonl");
        var cut = lines.Take(Lines.IndexOfSeq(lines, 33) + 1).ToList();
        var last = DateTimeOffset.FromUnixTimeMilliseconds(Lines.TsMs(cut[^1]));
        using var collector = new SpanCollector();
        var replay = new OpenClawReplay();
        foreach (var (line, i) in cut.Select((l, i) => (l, i)))
        {
            replay.Process(HookLineParser.Parse(line, new SourcePosition("follow.jsonl", i + 1)));
        }

        replay.AdvanceClock(last + TimeSpan.FromMinutes(9));
        Assert.Empty(collector.Spans);
        Assert.Equal(1, replay.TurnsInFlight);

        replay.AdvanceClock(last + TimeSpan.FromMinutes(10));
        var root = Assert.Single(collector.Spans, s => s.ParentSpanId == default);
        Assert.Equal("idle_timeout", root.Tag("instrumentation.incomplete_reason"));
        Assert.Equal(last.UtcDateTime, root.EndUtc());
        Assert.Equal(0, replay.TurnsInFlight);
    }
}
