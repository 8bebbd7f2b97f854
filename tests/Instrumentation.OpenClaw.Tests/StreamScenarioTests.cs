using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using Instrumentation.OpenClaw.Input;
using Instrumentation.OpenClaw.Synthetic;
using Instrumentation.Testing;
using static Instrumentation.OpenClaw.Tests.SpanAssertions;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>Streams built from the captures: exhausted retries, provider_call records, many interleaved sessions.</summary>
public sealed class StreamScenarioTests
{
    /// <summary>gateway-error500-retry's failed first attempt (seq 181-189) repeated <paramref name="attempts"/> times,
    /// 2 s apart, each with its own OpenClaw agent and model-call span ids.</summary>
    private static List<string> FailingAttempts(int attempts)
    {
        var lines = Lines.Of("gateway-error500-retry.jsonl");
        var stream = lines.Take(Lines.IndexOfSeq(lines, 181)).ToList();
        var attempt = lines.Skip(Lines.IndexOfSeq(lines, 181)).Take(9).ToList();
        for (var i = 0; i < attempts; i++)
        {
            var ids = new Dictionary<string, string>
            {
                ["4dbe6058bd4a5297"] = "4dbe6058bd4a52" + i.ToString("00"),
                ["21a3c498dc87bbe6"] = "21a3c498dc87bb" + i.ToString("00"),
            };
            stream.AddRange(attempt.Select(l => Lines.Shift(l, i * 2_000L, ids)));
        }

        return stream;
    }

    [Fact]
    public void Exhausted_retries_make_an_error_trace_with_every_attempt()
    {
        var run = ReplayRun.OfLines(FailingAttempts(8));

        var root = Assert.Single(run.Roots);
        Assert.Equal(ActivityStatusCode.Error, root.Status);
        Assert.Equal("500 mock internal server error", root.StatusDescription);
        Assert.Equal(8, root.Long(OpenClawAttributes.TurnAttempts));
        var attempts = run.ChildrenOf(root).ToList();
        Assert.Equal(8, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(ActivityStatusCode.Error, a.Status));
        Assert.All(attempts, a => Assert.Equal(ActivityStatusCode.Error, Assert.Single(run.ChildrenOf(a)).Status));
        Assert.False(root.IsIncomplete());
        Assert.Equal(1, run.Stats.TurnsFailed);
    }

    [Fact]
    public void A_failed_attempt_with_no_retry_within_the_window_closes_the_turn_as_failed_before_the_end_of_input()
    {
        var stream = FailingAttempts(2);
        var lastMs = Lines.TsMs(stream[^1]);
        using var collector = new SpanCollector();
        var replay = new OpenClawReplay();
        foreach (var line in stream)
        {
            replay.Process(HookLineParser.Parse(line, new SourcePosition("s", 0)));
        }

        Assert.Empty(collector.Spans);
        // Another session's event 61 s later moves the stream clock past the retry window.
        replay.Process(HookLineParser.Parse(Lines.Make("cron_changed", lastMs + 61_000, new JsonObject()), new SourcePosition("s", 0)));

        var root = Assert.Single(collector.Spans, s => s.ParentSpanId == default);
        Assert.Equal(ActivityStatusCode.Error, root.Status);
        Assert.Equal(2, root.Long(OpenClawAttributes.TurnAttempts));
        Assert.False(root.IsIncomplete());
        Assert.Equal(0, replay.TurnsInFlight);
    }

    /// <summary>
    /// gateway-tool plus provider_call records: call 1 linked by OpenClaw span id with OpenAI-native usage and a chunk
    /// for the time to first byte; call 2 linked by logicalCallId with Anthropic-native usage; and one invocation no model
    /// call accounts for, which fails.
    /// </summary>
    [Fact]
    public void Provider_call_records_are_authoritative_for_their_llm_span()
    {
        const string run = "2aea64df-5f12-404c-8526-149383ad7210";
        var lines = Lines.Of("gateway-tool.jsonl");
        JsonObject Ctx(string? spanId) => new()
        {
            ["runId"] = run,
            ["sessionKey"] = "agent:main:gw-tool",
            ["trace"] = spanId is null ? null : new JsonObject { ["traceId"] = "4074ef7c55fa55b6ad07f08de110f875", ["spanId"] = spanId },
        };
        JsonObject Event(string phase, string callId, JsonObject? extra = null)
        {
            var e = new JsonObject { ["phase"] = phase, ["callId"] = callId, ["provider"] = "openai", ["model"] = "gpt-4o" };
            foreach (var (key, value) in extra ?? new JsonObject())
            {
                e[key] = value?.DeepClone();
            }

            return e;
        }

        var records = new List<string>
        {
            Lines.Make("provider_call", 1795307218061, Event("before", "pc-1", new JsonObject { ["attempt"] = 1 }), Ctx("1d567025faee6df3")),
            Lines.Make("provider_call", 1795307218101, Event("chunk", "pc-1"), Ctx("1d567025faee6df3")),
            Lines.Make("provider_call", 1795307218241, Event("after", "pc-1", new JsonObject
            {
                ["responseId"] = "chatcmpl-real-1",
                ["finishReason"] = "tool_calls",
                ["usage"] = new JsonObject
                {
                    ["prompt_tokens"] = 12000, ["completion_tokens"] = 50, ["total_tokens"] = 12050,
                    ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 3000 },
                },
            }), Ctx("1d567025faee6df3")),
            Lines.Make("provider_call", 1795307218392, Event("before", "pc-2", new JsonObject { ["logicalCallId"] = run + ":model:2" }), Ctx(null)),
            Lines.Make("provider_call", 1795307218480, Event("after", "pc-2", new JsonObject
            {
                ["logicalCallId"] = run + ":model:2",
                ["usageFormat"] = "anthropic",
                ["usage"] = new JsonObject { ["input_tokens"] = 100, ["output_tokens"] = 7, ["cache_read_input_tokens"] = 200, ["cache_creation_input_tokens"] = 300 },
                ["output"] = new JsonObject { ["role"] = "assistant", ["content"] = "from the provider record" },
            }), Ctx(null)),
            Lines.Make("provider_call", 1795307218420, Event("before", "pc-orphan"), Ctx(null)),
            Lines.Make("provider_call", 1795307218450, Event("error", "pc-orphan", new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "429 rate limited", ["type"] = "rate_limit_error" },
            }), Ctx(null)),
        };
        var stream = lines.Concat(records).OrderBy(Lines.TsMs).ToList();

        var replay = ReplayRun.OfLines(stream);

        var llm = replay.OfType("LLM").ToList();
        Assert.Equal(3, llm.Count);
        var (first, orphan, second) = (llm[0], llm.Single(s => s.Tag(OpenClawAttributes.ProviderCallId) == "pc-orphan"), llm.Last(s => s.Tag(OpenClawAttributes.ProviderCallId) == "pc-2"));
        Assert.All(llm, s => Assert.Equal("provider_call", s.Tag(OpenClawAttributes.LlmSource)));

        // OpenAI prompt_tokens already include cached tokens.
        Assert.Equal("pc-1", first.Tag(OpenClawAttributes.ProviderCallId));
        Assert.Equal((12000L, 50L, 3000L), first.Usage());
        Assert.Equal("chatcmpl-real-1", first.Tag("gen_ai.response.id"));
        Assert.Equal(Ms(1795307218061), first.StartTimeUtc);
        Assert.Equal(Ms(1795307218241), first.EndUtc());
        Assert.Equal("40", first.Tag("instrumentation.llm.time_to_first_chunk_ms"));
        Assert.Equal(run + ":model:1", first.Tag(OpenClawAttributes.ModelCallId));
        Assert.Equal(147088, first.Long(OpenClawAttributes.RequestPayloadBytes)); // from the model call it serves

        // Anthropic input_tokens exclude the cache: 100 + 200 + 300.
        Assert.Equal((600L, 7L, 200L), second.Usage());
        Assert.Equal(300, second.Long("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Contains("from the provider record", second.Tag("mlflow.spanOutputs"), StringComparison.Ordinal);

        Assert.Equal(ActivityStatusCode.Error, orphan.Status);
        Assert.Equal("429 rate limited", orphan.StatusDescription);
        Assert.Equal("rate_limit_error", orphan.Tag("error.type"));
        Assert.Equal(ActivityStatusCode.Ok, Assert.Single(replay.Roots).Status);
    }

    [Fact]
    public void Many_interleaved_sessions_give_separate_correct_traces_and_release_their_state()
    {
        string[] captures = { "gateway-tool.jsonl", "gateway-subagent.jsonl", "gateway-error500-retry.jsonl", "gateway-exec-nonzero-exit.jsonl" };
        var templates = captures.Select(c => CaptureTemplate.FromFile(Captures.PathOf(c))).ToList();
        const int copies = 80;
        var stream = SyntheticStream.Interleave(templates, copies, staggerMs: 120).ToList();

        using var collector = new SpanCollector();
        var replay = new OpenClawReplay();
        var maxInFlight = 0;
        for (var i = 0; i < stream.Count; i++)
        {
            Assert.Null(replay.Process(HookLineParser.Parse(stream[i], new SourcePosition("interleaved", i + 1))));
            maxInFlight = Math.Max(maxInFlight, replay.TurnsInFlight);
        }

        replay.Complete();
        var run = collector.Spans;

        // 20 copies of each capture: 1 + 3 + 1 + 1 runs per copy, one trace per copy.
        Assert.Equal(20 * 6, replay.Statistics.TurnsExported);
        Assert.Equal(0, replay.Statistics.TurnsIncomplete);
        Assert.Equal(0, replay.Statistics.LateEvents);
        var traces = run.GroupBy(s => s.TraceId).ToList();
        Assert.Equal(copies, traces.Count);
        Assert.All(traces, trace =>
        {
            // One copy per trace: every run id in it carries the same copy suffix; one session per root.
            var suffixes = trace.Select(s => s.GetTagItem(OpenClawAttributes.RunId) as string).OfType<string>()
                .Select(id => id.Contains('~') ? id[id.LastIndexOf('~')..] : "").Distinct().ToList();
            Assert.Single(suffixes);
            Assert.Single(trace, s => s.ParentSpanId == default);
        });

        // Each copy's tree and usage equal its capture's replayed alone.
        var expected = captures.Select(c => ReplayRun.OfCapture(c)).ToList();
        using var again = new SpanCollector();
        foreach (var trace in traces)
        {
            var root = trace.Single(s => s.ParentSpanId == default);
            var copy = (root.GetTagItem(OpenClawAttributes.RunId) as string) is { } id && id.Contains('~') ? int.Parse(id[(id.LastIndexOf('~') + 1)..]) : 0;
            var alone = expected[copy % captures.Length];
            Assert.Equal(alone.Spans.Count, trace.Count());
            Assert.Equal(alone.Spans.Where(s => s.Type() == "LLM").Sum(s => s.Usage().Input), trace.Where(s => s.Type() == "LLM").Sum(s => s.Usage().Input));
            Assert.Equal(alone.Spans.Select(s => s.Type() + s.Status).OrderBy(x => x), trace.Select(s => s.Type() + s.Status).OrderBy(x => x));
            Assert.Equal(Assert.Single(alone.Roots).Tag("session.id") + (copy == 0 ? "" : "~" + copy), root.Tag("session.id"));
        }

        // Memory follows the turns in flight, not the stream: about duration / stagger of them at once, none at the end.
        Assert.InRange(maxInFlight, 2, 40);
        Assert.Equal(0, replay.TurnsInFlight);
        Assert.Equal(0, replay.LinksHeld);
        Assert.Equal(0, replay.ExportedRunsRemembered);
    }
}
