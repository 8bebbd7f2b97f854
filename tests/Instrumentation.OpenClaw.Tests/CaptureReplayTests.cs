using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Instrumentation.Testing;
using static Instrumentation.OpenClaw.Tests.SpanAssertions;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// Replays every real capture in tests/data/openclaw-captures and checks the tree. The expected numbers were read off the
/// captures by hand (jq over before_message_write usage, llm_output usage and the tool events), not produced by the
/// bridge.
/// </summary>
public sealed class CaptureReplayTests
{
    public static TheoryData<string> AllCaptures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Captures.All().OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCaptures))]
    public void Every_capture_replays_without_errors_and_leaves_nothing_open(string capture)
    {
        var run = ReplayRun.OfCapture(capture);

        Assert.Empty(run.Errors);
        Assert.Equal(0, run.Stats.MalformedLines);
        Assert.Equal(0, run.Stats.UnknownHookEvents);
        Assert.Equal(0, run.Stats.EmitFailures);
        Assert.Equal(0, run.Stats.LateEvents);
        Assert.Equal(0, run.Replay.TurnsInFlight);
        Assert.Equal(0, run.Replay.LinksHeld);
        Assert.Equal(0, run.Stats.TurnsIncomplete);

        // Every span started was ended (the collector only sees ended spans), none is marked incomplete, and every
        // parent link points at a span of the same replay.
        Assert.Equal(run.Stats.SpansExported, run.Spans.Count);
        Assert.All(run.Spans, span => Assert.True(span.IsStopped));
        Assert.DoesNotContain(run.Spans, span => span.IsIncomplete());
        var ids = run.Spans.Select(s => (s.TraceId, s.SpanId)).ToHashSet();
        Assert.All(run.Spans.Where(s => s.ParentSpanId != default), s => Assert.Contains((s.TraceId, s.ParentSpanId), ids));

        // Roots are AGENT spans with the session; children start no earlier than the root and end with positive duration.
        Assert.All(run.Roots, root =>
        {
            Assert.Equal("AGENT", root.Type());
            Assert.NotNull(root.Tag("session.id"));
            Assert.Equal("user", root.Tag(OpenClawAttributes.TurnKind));
        });
        Assert.All(run.Spans, s => Assert.True(s.Duration > TimeSpan.Zero, s.Describe()));
        Assert.All(run.Spans.Where(s => s.ParentSpanId != default), s => Assert.True(s.StartTimeUtc >= run.RootOf(s).StartTimeUtc, s.Describe()));
    }

    /// <summary>
    /// For each run attempt with usage, the LLM spans of the attempt add up to <c>llm_output.usage</c> (OpenClaw's
    /// aggregate, read here straight from the file), after the same unit conversion: input = input + cacheRead +
    /// cacheWrite (docs/mlflow-contract.md §2).
    /// </summary>
    [Theory]
    [MemberData(nameof(AllCaptures))]
    public void Llm_spans_of_each_attempt_sum_to_llm_output_usage(string capture)
    {
        var run = ReplayRun.OfCapture(capture);
        var expected = new List<(string RunId, int Attempt, long Input, long Output, long CacheRead)>();
        var attemptsByRun = new Dictionary<string, int>();
        foreach (var line in File.ReadLines(Captures.PathOf(capture)))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var hook = root.GetProperty("hook").GetString();
            if (hook is not ("agent_end" or "llm_output"))
            {
                continue;
            }

            var runId = root.GetProperty("ctx").GetProperty("runId").GetString()!;
            if (hook == "agent_end")
            {
                attemptsByRun[runId] = attemptsByRun.GetValueOrDefault(runId) + 1;
                continue;
            }

            if (root.GetProperty("event").GetProperty("usage") is { ValueKind: JsonValueKind.Object } usage)
            {
                var cacheRead = usage.GetProperty("cacheRead").GetInt64();
                var input = usage.GetProperty("input").GetInt64() + cacheRead + usage.GetProperty("cacheWrite").GetInt64();
                expected.Add((runId, attemptsByRun[runId], input, usage.GetProperty("output").GetInt64(), cacheRead));
            }
        }

        foreach (var (runId, attempt, input, output, cacheRead) in expected)
        {
            var turnRoot = run.Roots.Concat(run.OfType("AGENT")).First(s => s.Tag(OpenClawAttributes.RunId) == runId);
            var llm = Descendants(run, turnRoot).Where(s => s.Type() == "LLM" && s.Long(OpenClawAttributes.Attempt) == attempt
                && run.TurnOf(s) == turnRoot).ToList();
            Assert.NotEmpty(llm);
            Assert.Equal(input, llm.Sum(s => s.Usage().Input));
            Assert.Equal(output, llm.Sum(s => s.Usage().Output));
            Assert.Equal(cacheRead, llm.Sum(s => s.Usage().CacheRead));
        }

        if (capture is not "gateway-lifecycle.jsonl")
        {
            Assert.NotEmpty(expected);
        }
    }

    private static IEnumerable<Activity> Descendants(ReplayRun run, Activity span) =>
        run.ChildrenOf(span).SelectMany(child => new[] { child }.Concat(Descendants(run, child)));

    [Theory]
    [InlineData("gateway-simple.jsonl", "agent:main:gw-simple-1795307281", 10429, 12, 5214, "chatcmpl-mock-4")]
    [InlineData("local-simple.jsonl", null, 10429, 12, 5214, "chatcmpl-mock-6")]
    public void Simple_answer_is_one_agent_with_one_llm_call(string capture, string? sessionKey, long input, long output, long cacheRead, string responseId)
    {
        var run = ReplayRun.OfCapture(capture);

        var root = Assert.Single(run.Roots);
        Assert.Equal("main", root.DisplayName);
        Assert.Equal("main", root.Tag("gen_ai.agent.name"));
        if (sessionKey is not null)
        {
            Assert.Equal(sessionKey, root.Tag("session.id"));
        }

        Assert.Equal(ActivityStatusCode.Ok, root.Status);
        var llm = Assert.Single(run.ChildrenOf(root));
        Assert.Equal("LLM", llm.Type());
        Assert.Equal("chat mock-model", llm.DisplayName);
        Assert.Equal((input, output, cacheRead), llm.Usage());
        Assert.Equal(input + output, JsonDocument.Parse(llm.Tag("mlflow.chat.tokenUsage")!).RootElement.GetProperty("total_tokens").GetInt64());
        Assert.Equal(responseId, llm.Tag("gen_ai.response.id"));
        Assert.Equal("openai", llm.Tag("mlflow.message.format"));
        Assert.Equal("stop", llm.Tag(OpenClawAttributes.LlmStopReason));
        Assert.Contains("\"role\":\"system\"", llm.Tag("mlflow.spanInputs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_turn_has_llm_tool_llm_with_per_call_usage_and_the_conversation_each_call_saw()
    {
        var run = ReplayRun.OfCapture("gateway-tool.jsonl");

        var root = Assert.Single(run.Roots);
        Assert.Equal("agent:main:gw-tool", root.Tag("session.id"));
        Assert.Equal("2aea64df-5f12-404c-8526-149383ad7210", root.Tag(OpenClawAttributes.RunId));
        Assert.Contains("SCENARIO:tool Read notes.txt", root.Tag("mlflow.spanInputs"), StringComparison.Ordinal);
        Assert.Contains("The file notes.txt was read successfully.", root.Tag("mlflow.spanOutputs"), StringComparison.Ordinal);
        // before_agent_reply 00:26:57.372 to agent_end 00:26:58.525.
        Assert.Equal(Ms(1795307217372), root.StartTimeUtc);
        Assert.Equal(Ms(1795307218525), root.EndUtc());

        var children = run.ChildrenOf(root).ToList();
        Assert.Equal(new[] { "LLM", "TOOL", "LLM" }, children.Select(c => c.Type()));
        var (first, tool, second) = (children[0], children[1], children[2]);

        // Call 1: model_call_started 218060 + durationMs 186; usage 5217 + 5216 cached = 10433 prompt tokens.
        Assert.Equal(Ms(1795307218060), first.StartTimeUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(186), first.Duration);
        Assert.Equal((10433L, 20L, 5216L), first.Usage());
        Assert.Equal(147088, first.Long(OpenClawAttributes.RequestPayloadBytes));
        Assert.Equal(732, first.Long(OpenClawAttributes.ResponseStreamBytes));
        Assert.Equal("157", first.Tag("instrumentation.llm.time_to_first_chunk_ms"));
        Assert.Equal("tool_calls", Assert.IsType<string[]>(first.GetTagItem("gen_ai.response.finish_reasons")).Single());
        Assert.Equal("completed", first.Tag(OpenClawAttributes.ModelCallOutcome));
        Assert.Contains("\"tool_calls\":[{\"id\":\"call_mock_25\"", first.Tag("mlflow.spanOutputs"), StringComparison.Ordinal);
        using (var cost = JsonDocument.Parse(first.Tag("mlflow.llm.cost")!))
        {
            // input 0.005217 + cacheRead 0.0005216; output 0.00004; total 0.0057786, as OpenClaw priced it.
            Assert.Equal(0.0057386m, cost.RootElement.GetProperty("input_cost").GetDecimal());
            Assert.Equal(0.0057786m, cost.RootElement.GetProperty("total_cost").GetDecimal());
        }

        // The tool: before_tool_call 218297, durationMs 87, params in, result out, description from llm_input.tools.
        Assert.Equal("read", tool.DisplayName);
        Assert.Equal("call_mock_25", tool.Tag("gen_ai.tool.call.id"));
        Assert.Equal(Ms(1795307218297), tool.StartTimeUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(87), tool.Duration);
        Assert.Equal(ActivityStatusCode.Ok, tool.Status);
        Assert.Contains("notes.txt", tool.Tag("mlflow.spanInputs"), StringComparison.Ordinal);
        Assert.Contains("These are mock notes", tool.Tag("mlflow.spanOutputs"), StringComparison.Ordinal);
        Assert.StartsWith("Read text/image file", tool.Tag("gen_ai.tool.description"), StringComparison.Ordinal);

        // Call 2 saw the first call's tool call and the tool result; its own answer is its output.
        Assert.Equal((10499L, 12L, 5249L), second.Usage());
        using var inputs = JsonDocument.Parse(second.Tag("mlflow.spanInputs")!);
        var roles = inputs.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(new[] { "system", "user", "user", "assistant", "tool" }, roles);
        var toolMessage = inputs.RootElement.GetProperty("messages")[4];
        Assert.Equal("call_mock_25", toolMessage.GetProperty("tool_call_id").GetString());
        Assert.Contains("The file notes.txt was read successfully.", second.Tag("mlflow.spanOutputs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gateway-toolfail.jsonl")]
    [InlineData("local-toolfail.jsonl")]
    public void Failed_tool_is_an_error_span_and_the_turn_still_succeeds(string capture)
    {
        var run = ReplayRun.OfCapture(capture);

        var tool = Assert.Single(run.OfType("TOOL"));
        Assert.Equal(ActivityStatusCode.Error, tool.Status);
        Assert.Equal("File not found: <WORKSPACE>/does-not-exist.txt.", tool.StatusDescription);
        Assert.Equal("tool_error", tool.Tag("error.type"));
        Assert.Equal("True", tool.Tag(OpenClawAttributes.ToolResultIsError));
        Assert.Equal(ActivityStatusCode.Ok, Assert.Single(run.Roots).Status);
    }

    [Fact]
    public void Exec_with_non_zero_exit_is_a_successful_tool_call_with_the_exit_code()
    {
        var run = ReplayRun.OfCapture("gateway-exec-nonzero-exit.jsonl");

        var tool = Assert.Single(run.OfType("TOOL"));
        Assert.Equal("exec", tool.DisplayName);
        Assert.Equal(ActivityStatusCode.Ok, tool.Status);
        Assert.Equal(3, tool.Long(OpenClawAttributes.ToolExitCode));
        Assert.Null(tool.Tag("error.type"));
        Assert.Equal(TimeSpan.FromMilliseconds(49), tool.Duration);
        Assert.Equal(ActivityStatusCode.Ok, Assert.Single(run.Roots).Status);
    }

    [Fact]
    public void Sub_agent_nests_under_the_spawning_tool_call_and_the_announce_run_under_the_parent_in_one_trace()
    {
        var run = ReplayRun.OfCapture("gateway-subagent.jsonl");

        var root = Assert.Single(run.Roots);
        Assert.Equal("9ee0e57c-44be-4daf-bb89-1fc4c8deef7a", root.Tag(OpenClawAttributes.RunId));
        Assert.All(run.Spans, s => Assert.Equal(root.TraceId, s.TraceId));
        Assert.Equal(3, run.OfType("AGENT").Count());
        Assert.Equal(4, run.OfType("LLM").Count());

        var children = run.ChildrenOf(root).ToList();
        Assert.Equal(new[] { "LLM chat mock-model", "TOOL sessions_spawn", "LLM chat mock-model", "AGENT announce" },
            children.Select(c => c.Type() + " " + c.DisplayName));

        var spawn = children[1];
        Assert.Equal(ActivityStatusCode.Ok, spawn.Status);
        Assert.Equal("90aef922-f402-4f7c-8de7-f51a68bdf089", spawn.Tag(OpenClawAttributes.SubagentChildRunId));
        var child = Assert.Single(run.ChildrenOf(spawn));
        Assert.Equal("AGENT", child.Type());
        Assert.Equal("mock-child", child.DisplayName);
        Assert.Equal("subagent", child.Tag(OpenClawAttributes.TurnKind));
        Assert.Equal("90aef922-f402-4f7c-8de7-f51a68bdf089", child.Tag(OpenClawAttributes.RunId));
        Assert.Equal("9ee0e57c-44be-4daf-bb89-1fc4c8deef7a", child.Tag(OpenClawAttributes.ParentRunId));
        Assert.Equal("agent:main:subagent:b3bf1e03-9617-432e-93c1-b54cabe3f8b4", child.Tag("session.id"));
        Assert.Equal("ok", child.Tag(OpenClawAttributes.SubagentOutcome));
        Assert.Equal("run", child.Tag(OpenClawAttributes.SubagentMode));
        // The child's own hooks: before_agent_reply 240940 to agent_end 241454.
        Assert.Equal(Ms(1795307240940), child.StartTimeUtc);
        Assert.Equal(Ms(1795307241454), child.EndUtc());
        var childLlm = Assert.Single(run.ChildrenOf(child));
        Assert.Equal((6188L, 12L, 3094L), childLlm.Usage());

        var announce = children[3];
        Assert.Equal("announce", announce.Tag(OpenClawAttributes.TurnKind));
        Assert.Equal("90aef922-f402-4f7c-8de7-f51a68bdf089", announce.Tag(OpenClawAttributes.AnnounceChildRunId));
        Assert.Equal((11243L, 12L, 5621L), Assert.Single(run.ChildrenOf(announce)).Usage());

        // The parent's own calls: 5219 + 5218 and 5337 + 5336 prompt tokens.
        Assert.Equal((10437L, 20L, 5218L), children[0].Usage());
        Assert.Equal((10673L, 12L, 5336L), children[2].Usage());
        Assert.Equal(0, run.Stats.SubagentEndedIgnored);

        // The family is exported together, root last, so exporters that print a trace when its root ends see all of it.
        Assert.Same(root, run.Spans[^1]);
    }

    [Theory]
    [InlineData("gateway-error500-retry.jsonl", 10521L, 5260L)]
    [InlineData("local-error500-retry.jsonl", 10520L, 5260L)]
    public void Provider_500_then_retry_shows_two_attempts_and_the_turn_succeeds(string capture, long secondInput, long secondCached)
    {
        var run = ReplayRun.OfCapture(capture);

        var root = Assert.Single(run.Roots);
        Assert.Equal(ActivityStatusCode.Ok, root.Status);
        Assert.Equal(2, root.Long(OpenClawAttributes.TurnAttempts));
        var attempts = run.ChildrenOf(root).ToList();
        Assert.Equal(new[] { "attempt 1", "attempt 2" }, attempts.Select(a => a.DisplayName));
        Assert.All(attempts, a => Assert.Equal("CHAIN", a.Type()));

        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Equal("500 mock internal server error", attempts[0].StatusDescription);
        var failed = Assert.Single(run.ChildrenOf(attempts[0]));
        Assert.Equal("LLM", failed.Type());
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("500 mock internal server error", failed.StatusDescription);
        Assert.Equal("server_error", failed.Tag("error.type"));
        Assert.Equal("error", failed.Tag(OpenClawAttributes.ModelCallOutcome));

        Assert.Equal(ActivityStatusCode.Ok, attempts[1].Status);
        var recovered = Assert.Single(run.ChildrenOf(attempts[1]));
        Assert.Equal(ActivityStatusCode.Ok, recovered.Status);
        Assert.Equal((secondInput, 12L, secondCached), recovered.Usage());
        // Both calls are ":model:1" (the call counter restarts per attempt): told apart by OpenClaw's span id.
        Assert.Equal(failed.Tag(OpenClawAttributes.ModelCallId), recovered.Tag(OpenClawAttributes.ModelCallId));
        Assert.NotEqual(failed.Tag(OpenClawAttributes.SpanId), recovered.Tag(OpenClawAttributes.SpanId));
    }

    [Fact]
    public void Gateway_error500_attempt_times_come_from_their_own_hooks()
    {
        var run = ReplayRun.OfCapture("gateway-error500-retry.jsonl");
        var attempts = run.ChildrenOf(Assert.Single(run.Roots)).ToList();

        // Attempt 1: agent_turn_prepare 305137 to agent_end 305341 (= its durationMs 204); attempt 2: 306580 to 306759.
        Assert.Equal(Ms(1795307305137), attempts[0].StartTimeUtc);
        Assert.Equal(Ms(1795307305341), attempts[0].EndUtc());
        Assert.Equal(Ms(1795307306580), attempts[1].StartTimeUtc);
        Assert.Equal(Ms(1795307306759), attempts[1].EndUtc());
    }

    [Fact]
    public void Sub_agent_spawn_that_fails_locally_is_a_tool_error_without_a_child()
    {
        var run = ReplayRun.OfCapture("local-subagent-unsupported.jsonl");

        Assert.Single(run.OfType("AGENT"));
        var spawn = Assert.Single(run.OfType("TOOL"));
        Assert.Equal("sessions_spawn", spawn.DisplayName);
        Assert.Equal(ActivityStatusCode.Error, spawn.Status);
        Assert.Equal("published reply runtime missing for main", spawn.StatusDescription);
        Assert.Equal(3656, (long)spawn.Duration.TotalMilliseconds);
        Assert.Null(spawn.Tag(OpenClawAttributes.SubagentChildRunId));
    }

    /// <summary>
    /// The lifecycle capture (gateway start, cron, SIGTERM: no agent turn) produces no trace: nothing in it is agent
    /// work, and a trace per gateway or session event would bury the turns. Its hooks are counted as ignored, not unknown.
    /// </summary>
    [Fact]
    public void Lifecycle_capture_produces_no_trace()
    {
        var run = ReplayRun.OfCapture("gateway-lifecycle.jsonl");

        Assert.Empty(run.Spans);
        Assert.Equal(17, run.Stats.EventsRead);
        Assert.Equal(17, run.Stats.IgnoredEvents);
        Assert.Equal(0, run.Stats.TurnsExported);
    }

    [Fact]
    public void Replaying_the_same_capture_twice_gives_two_distinct_traces()
    {
        var first = ReplayRun.OfCapture("gateway-tool.jsonl");
        var second = ReplayRun.OfCapture("gateway-tool.jsonl");

        Assert.NotEqual(Assert.Single(first.Roots).TraceId, Assert.Single(second.Roots).TraceId);
    }
}
