using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Instrumentation.Mlflow;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Mlflow.Tests;

/// <summary>The trace tree text, span by span. Every expected text here was written and read by hand.</summary>
public sealed class TraceTreeFormatterTests
{
    internal static readonly ActivityTraceId TraceA = ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");
    internal static readonly ActivityTraceId TraceB = ActivityTraceId.CreateFromString("00f067aa0ba902b7a3ce929d0e0e4736");
    private static readonly DateTime T0 = new(2026, 4, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>A finished span: ids are short hex strings, times in milliseconds from a fixed instant.</summary>
    internal static TraceTreeSpan Span(string id, string? parent, string? type, string name, double startMs, double durationMs,
        ActivityStatusCode status = ActivityStatusCode.Ok, string? error = null, ActivityTraceId? trace = null,
        params (string Key, object? Value)[] attributes)
    {
        var all = new List<KeyValuePair<string, object?>>();
        if (type is not null)
        {
            all.Add(new(MlflowAttributes.SpanType, type));
        }

        all.AddRange(attributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)));
        return new TraceTreeSpan(
            trace ?? TraceA,
            ActivitySpanId.CreateFromString(id.PadLeft(16, '0')),
            parent is null ? default : ActivitySpanId.CreateFromString(parent.PadLeft(16, '0')),
            name,
            T0.AddTicks((long)(startMs * TimeSpan.TicksPerMillisecond)),
            TimeSpan.FromTicks((long)(durationMs * TimeSpan.TicksPerMillisecond)))
        {
            Status = status,
            StatusDescription = error,
            Attributes = all,
        };
    }

    private static string Format(IReadOnlyCollection<TraceTreeSpan> spans, Action<TraceTreeOptions>? configure = null)
    {
        var options = new TraceTreeOptions { UseColor = false };
        configure?.Invoke(options);
        return TraceTreeFormatter.FormatTrace(spans, options);
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    internal static IReadOnlyList<TraceTreeSpan> WeatherTrace(ActivityTraceId? trace = null)
    {
        var agent = Span("1", null, "AGENT", "RunAsync", 0, 1240, trace: trace, attributes: new (string, object?)[]
        {
            (CommonAttributes.SessionId, "chat-42"),
            (MlflowAttributes.SpanInputs, """{"question":"What is the weather in Paris?"}"""),
            (MlflowAttributes.SpanOutputs, "\"It is 18 °C and sunny in Paris.\""),
        });
        var llm1 = Span("2", "1", "LLM", "CompleteAsync", 10, 120, trace: trace, attributes: new (string, object?)[]
        {
            (MlflowAttributes.LlmModel, "gpt-4o-mini"),
            (MlflowAttributes.ChatTokenUsage, """{"input_tokens":1200,"output_tokens":30,"total_tokens":1230,"cache_read_input_tokens":800}"""),
            (MlflowAttributes.SpanInputs, """{"messages":[{"role":"user","content":"What is the weather in Paris?"}],"model":"gpt-4o-mini"}"""),
            (MlflowAttributes.SpanOutputs, """{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"GetForecast","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}"""),
        });
        var tool1 = Span("3", "1", "TOOL", "GetForecast", 140, 3, trace: trace, attributes: new (string, object?)[]
        {
            (MlflowAttributes.SpanInputs, """{"city":"Paris"}"""),
            (MlflowAttributes.SpanOutputs, """{"city":"Paris","temperatureC":18}"""),
        });
        var tool2 = Span("4", "1", "TOOL", "GetForecast", 150, 1, ActivityStatusCode.Error, "City not found: Atlantis", trace: trace,
            attributes: new (string, object?)[] { (MlflowAttributes.SpanInputs, """{"city":"Atlantis"}""") });
        var llm2 = Span("5", "1", "LLM", "CompleteAsync", 160, 95, trace: trace, attributes: new (string, object?)[]
        {
            (MlflowAttributes.ChatTokenUsage, """{"input_tokens":1300,"output_tokens":12,"total_tokens":1312,"cache_read_input_tokens":1100}"""),
        });

        // In the order they end, as an exporter receives them.
        return new[] { llm1, tool1, tool2, llm2, agent };
    }

    [Fact]
    public void Formats_an_agent_trace_as_a_tree_with_inputs_outputs_tokens_and_errors()
    {
        var text = Format(WeatherTrace().ToList());

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 5 spans · tokens 2500 in (1900 cached) / 42 out",
                "AGENT RunAsync · 1.24 s · OK · session chat-42",
                "│  in:  {\"question\":\"What is the weather in Paris?\"}",
                "│  out: \"It is 18 °C and sunny in Paris.\"",
                "├─ LLM CompleteAsync · 120 ms · OK · gpt-4o-mini · tokens 1200 in (800 cached) / 30 out",
                "│     in:  {\"messages\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}],\"model\":\"gpt-4o-mini\"}",
                "│     out: {\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"fun…",
                "├─ TOOL GetForecast · 3 ms · OK",
                "│     in:  {\"city\":\"Paris\"}",
                "│     out: {\"city\":\"Paris\",\"temperatureC\":18}",
                "├─ TOOL GetForecast · 1 ms · ERROR City not found: Atlantis",
                "│     in:  {\"city\":\"Atlantis\"}",
                "└─ LLM CompleteAsync · 95 ms · OK · tokens 1300 in (1100 cached) / 12 out",
                string.Empty),
            text);
    }

    [Fact]
    public void Nests_children_under_their_parent_in_start_order_with_guides_at_every_depth()
    {
        var spans = new[]
        {
            Span("5", "3", "TOOL", "Search", 22, 4, attributes: (MlflowAttributes.SpanInputs, """{"q":"x"}""")),
            Span("4", "3", "LLM", "Think", 12, 5),
            Span("3", "2", "AGENT", "SubAgent", 11, 20, attributes: (MlflowAttributes.SpanInputs, """{"task":"find x"}""")),
            Span("6", "1", "LLM", "Answer", 40, 8),
            Span("2", "1", "TOOL", "Delegate", 10, 30),
            Span("1", null, "AGENT", "Root", 0, 50),
        };

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 6 spans",
                "AGENT Root · 50 ms · OK",
                "├─ TOOL Delegate · 30 ms · OK",
                "│  └─ AGENT SubAgent · 20 ms · OK",
                "│     │  in:  {\"task\":\"find x\"}",
                "│     ├─ LLM Think · 5 ms · OK",
                "│     └─ TOOL Search · 4 ms · OK",
                "│           in:  {\"q\":\"x\"}",
                "└─ LLM Answer · 8 ms · OK",
                string.Empty),
            Format(spans));
    }

    [Fact]
    public void Collapses_values_to_one_line_and_cuts_them_to_MaxValueChars()
    {
        var spans = new[]
        {
            Span("1", null, "TOOL", "Evil\u001b[31mName", 0, 2, ActivityStatusCode.Error, "boom\n   at line 2\r\n   at line 3", attributes: new (string, object?)[]
            {
                (MlflowAttributes.SpanInputs, "{\n  \"text\": \"line one\\nline two\",\n  \"n\": 1\n}"),
                (MlflowAttributes.SpanOutputs, "short\ttabbed"),
            }),
        };

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 1 span",
                "TOOL Evil [31mName · 2 ms · ERROR boom at line 2 at line 3",
                "   in:  { \"text\": \"line one\\nline two…",
                "   out: short tabbed",
                string.Empty),
            Format(spans, o => o.MaxValueChars = 30));
    }

    [Fact]
    public void Without_inputs_and_outputs_each_span_is_one_line()
    {
        var text = Format(WeatherTrace().ToList(), o => o.ShowInputsAndOutputs = false);

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 5 spans · tokens 2500 in (1900 cached) / 42 out",
                "AGENT RunAsync · 1.24 s · OK · session chat-42",
                "├─ LLM CompleteAsync · 120 ms · OK · gpt-4o-mini · tokens 1200 in (800 cached) / 30 out",
                "├─ TOOL GetForecast · 3 ms · OK",
                "├─ TOOL GetForecast · 1 ms · ERROR City not found: Atlantis",
                "└─ LLM CompleteAsync · 95 ms · OK · tokens 1300 in (1100 cached) / 12 out",
                string.Empty),
            text);
    }

    [Fact]
    public void A_trace_without_its_root_is_marked_incomplete_and_orphans_say_their_parent_is_missing()
    {
        var spans = new[]
        {
            Span("3", "2", "LLM", "Summarize", 5, 2),
            Span("2", "1", "TOOL", "Search", 1, 4),
            Span("7", "6", "TOOL", "Fetch", 9, 1),
        };

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 3 spans · INCOMPLETE: root span not ended",
                "TOOL Search · 4 ms · OK · parent not seen",
                "└─ LLM Summarize · 2 ms · OK",
                "TOOL Fetch · 1 ms · OK · parent not seen",
                string.Empty),
            Format(spans));
    }

    [Fact]
    public void Spans_marked_instrumentation_incomplete_say_so_with_the_reason()
    {
        var spans = new[]
        {
            Span("1", null, "AGENT", "openclaw_agent", 0, 2000, attributes: new (string, object?)[]
            {
                (InstrumentationAttributes.Incomplete, true),
                (InstrumentationAttributes.IncompleteReason, "session ended before agent_end"),
            }),
            Span("2", "1", "TOOL", "exec", 10, 1500, ActivityStatusCode.Unset, attributes: (InstrumentationAttributes.Incomplete, true)),
        };

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 2 spans",
                "AGENT openclaw_agent · 2 s · OK · INCOMPLETE: session ended before agent_end",
                "└─ TOOL exec · 1.5 s · INCOMPLETE",
                string.Empty),
            Format(spans));
    }

    [Theory]
    [InlineData("""{"input_tokens":1200,"output_tokens":30,"total_tokens":1230,"cache_read_input_tokens":800,"cache_creation_input_tokens":100}""", " · tokens 1200 in (800 cached, 100 cache write) / 30 out")]
    [InlineData("""{"input_tokens":0,"output_tokens":0,"total_tokens":0}""", " · tokens 0 in / 0 out")]
    [InlineData("""{"output_tokens":7}""", " · tokens 7 out")]
    [InlineData("""{"total_tokens":55}""", " · tokens 55 total")]
    [InlineData("not json", "")]
    [InlineData("[1,2]", "")]
    public void Token_usage_is_read_from_mlflow_chat_tokenUsage(string usage, string expectedSuffix)
    {
        var spans = new[] { Span("1", null, "LLM", "Call", 0, 10, attributes: (MlflowAttributes.ChatTokenUsage, usage)) };

        var lines = Format(spans, o => o.ShowInputsAndOutputs = false).Split('\n');

        Assert.Equal("LLM Call · 10 ms · OK" + expectedSuffix, lines[1]);
    }

    [Fact]
    public void The_trace_line_sums_tokens_and_cost_over_every_span_as_MLflow_does()
    {
        var spans = new[]
        {
            Span("1", null, "AGENT", "Run", 0, 100),
            Span("2", "1", "LLM", "First", 1, 10, attributes: new (string, object?)[]
            {
                (MlflowAttributes.ChatTokenUsage, """{"input_tokens":100,"output_tokens":10,"cache_creation_input_tokens":60}"""),
                (MlflowAttributes.LlmCost, """{"input_cost":0.0001,"output_cost":0.00032,"total_cost":0.00042}"""),
            }),
            Span("3", "1", "LLM", "Second", 20, 10, attributes: new (string, object?)[]
            {
                (MlflowAttributes.ChatTokenUsage, """{"input_tokens":200,"output_tokens":5,"cache_read_input_tokens":60}"""),
                (MlflowAttributes.LlmCost, """{"input_cost":0.001,"output_cost":0.0005}"""),
            }),
        };

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 3 spans · tokens 300 in (60 cached, 60 cache write) / 15 out · $0.00192",
                "AGENT Run · 100 ms · OK",
                "├─ LLM First · 10 ms · OK · tokens 100 in (60 cache write) / 10 out · $0.00042",
                "└─ LLM Second · 10 ms · OK · tokens 200 in (60 cached) / 5 out · $0.0015",
                string.Empty),
            Format(spans));
    }

    [Fact]
    public void Spans_without_an_MLflow_type_show_their_kind_and_an_unset_status_shows_nothing()
    {
        var request = new TraceTreeSpan(TraceA, ActivitySpanId.CreateFromString("00000000000000a1"), default, "POST /v1/chat/completions", T0, TimeSpan.FromMilliseconds(80))
        {
            Kind = ActivityKind.Client,
            Attributes = new[] { new KeyValuePair<string, object?>(CommonAttributes.UserId, "alice") },
        };

        Assert.Equal(
            Lines("trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 1 span", "CLIENT POST /v1/chat/completions · 80 ms · user alice", string.Empty),
            Format(new[] { request }));
    }

    [Fact]
    public void An_error_without_a_message_shows_the_error_type()
    {
        var spans = new[] { Span("1", null, "TOOL", "Run", 0, 1, ActivityStatusCode.Error, attributes: (CommonAttributes.ErrorType, "System.TimeoutException")) };

        Assert.Equal("TOOL Run · 1 ms · ERROR System.TimeoutException", Format(spans).Split('\n')[1]);
    }

    [Fact]
    public void A_span_with_a_remote_parent_is_the_root_of_what_this_process_saw()
    {
        var server = new TraceTreeSpan(TraceA, ActivitySpanId.CreateFromString("00000000000000b1"), ActivitySpanId.CreateFromString("00000000000000ff"), "GET /chat", T0, TimeSpan.FromMilliseconds(30))
        {
            HasRemoteParent = true,
            Kind = ActivityKind.Server,
            Status = ActivityStatusCode.Ok,
        };
        var agent = Span("b2", "b1", "AGENT", "RunAsync", 1, 20);

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 2 spans",
                "SERVER GET /chat · 30 ms · OK",
                "└─ AGENT RunAsync · 20 ms · OK",
                string.Empty),
            Format(new[] { agent, server }));
    }

    [Fact]
    public void Format_prints_each_trace_separately_in_the_order_they_started()
    {
        var spans = new[]
        {
            Span("b1", null, "AGENT", "Second", 50, 10, trace: TraceB),
            Span("a2", "a1", "TOOL", "Inner", 1, 2),
            Span("a1", null, "AGENT", "First", 0, 20),
        };

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 2 spans",
                "AGENT First · 20 ms · OK",
                "└─ TOOL Inner · 2 ms · OK",
                string.Empty,
                "trace tr-00f067aa0ba902b7a3ce929d0e0e4736 · 1 span",
                "AGENT Second · 10 ms · OK",
                string.Empty),
            TraceTreeFormatter.Format(spans));
    }

    [Fact]
    public void FormatTrace_refuses_spans_of_several_traces()
    {
        var spans = new[] { Span("1", null, "AGENT", "A", 0, 1), Span("2", null, "AGENT", "B", 0, 1, trace: TraceB) };

        var error = Assert.Throws<ArgumentException>(() => TraceTreeFormatter.FormatTrace(spans));
        Assert.Contains("several traces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_color_types_statuses_and_guides_are_painted_with_ANSI_codes()
    {
        var spans = new[]
        {
            Span("1", null, "AGENT", "Run", 0, 10),
            Span("2", "1", "TOOL", "Fail", 1, 2, ActivityStatusCode.Error, "no", attributes: (MlflowAttributes.SpanInputs, "{}")),
        };

        var text = Format(spans, o => o.UseColor = true);

        Assert.Equal(
            "\u001b[1mtrace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 2 spans\u001b[0m\n"
            + "\u001b[1;35mAGENT\u001b[0m Run · 10 ms · \u001b[32mOK\u001b[0m\n"
            + "\u001b[2m└─ \u001b[0m\u001b[1;33mTOOL\u001b[0m Fail · 2 ms · \u001b[31mERROR no\u001b[0m\n"
            + "      \u001b[2min:  \u001b[0m{}\n"
            + "\n",
            text);
    }

    [Fact]
    public void Color_is_off_by_default_for_any_output_but_an_interactive_console()
    {
        Assert.False(new TraceTreeOptions { Output = new System.IO.StringWriter() }.UseColor);
        Assert.DoesNotContain("\u001b", TraceTreeFormatter.Format(WeatherTrace()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "<1 µs")]
    [InlineData(4L, "<1 µs")]
    [InlineData(8_500L, "850 µs")]
    [InlineData(9_996L, "1 ms")]
    [InlineData(32_400L, "3.2 ms")]
    [InlineData(99_600L, "10 ms")]
    [InlineData(1_204_000L, "120 ms")]
    [InlineData(9_997_000L, "1 s")]
    [InlineData(12_400_000L, "1.24 s")]
    [InlineData(123_400_000L, "12.3 s")]
    [InlineData(599_600_000L, "1 min 0 s")]
    [InlineData(1_250_000_000L, "2 min 5 s")]
    [InlineData(37_250_000_000L, "1 h 2 min")]
    public void Durations_are_humanized(long ticks, string expected)
    {
        Assert.Equal(expected, TraceTreeFormatter.FormatDuration(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Cutting_never_splits_a_surrogate_pair()
    {
        // "ab" then an emoji (two UTF-16 units): cut to 4 characters, the emoji would straddle the cut.
        Assert.Equal("ab…", TraceTreeFormatter.OneLine("ab\U0001F600cdef", 4));
        Assert.Equal("abc…", TraceTreeFormatter.OneLine("abcdefgh", 4));
        Assert.Equal("abcd", TraceTreeFormatter.OneLine("abcd", 4));
    }
}
