using System;
using System.Diagnostics;
using System.Linq;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Sessions;
using Instrumentation.Runtime.Spans;
using Instrumentation.Runtime.Usage;
using Instrumentation.Testing;

namespace Instrumentation.Runtime.Tests;

/// <summary>The span types' attributes, timing, errors and parenting, as MLflow's contract requires.</summary>
public sealed class SpanTypeTests
{
    [Fact]
    public void Llm_usage_is_recorded_once_as_mlflow_json_and_as_genai_counts()
    {
        using var spans = new SpanCollector();
        using (var span = LlmSpan.Start("call", model: "gpt-4o-mini", provider: "openai"))
        {
            span.SetUsage(new TokenUsage { InputTokens = 1200, OutputTokens = 30, CacheReadInputTokens = 800, ReasoningOutputTokens = 5 });
            span.SetResponse(model: "gpt-4o-mini-2024-07-18", responseId: "chatcmpl-1", finishReason: "stop");
            span.SetCost(new LlmCost(0.0012m, 0.00003m, 0.00123m));
        }

        var llm = spans.Single("call");
        Assert.Equal("""{"input_tokens":1200,"output_tokens":30,"total_tokens":1230,"cache_read_input_tokens":800}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("1200", llm.Tag("gen_ai.usage.input_tokens"));
        Assert.Equal("30", llm.Tag("gen_ai.usage.output_tokens"));
        Assert.Equal("800", llm.Tag("gen_ai.usage.cache_read.input_tokens"));
        Assert.Null(llm.Tag("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Equal("5", llm.Tag("gen_ai.usage.reasoning.output_tokens"));
        Assert.Equal("gpt-4o-mini", llm.Tag("gen_ai.request.model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", llm.Tag("gen_ai.response.model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", llm.Tag("mlflow.llm.model"));
        Assert.Equal("chatcmpl-1", llm.Tag("gen_ai.response.id"));
        Assert.Equal(new[] { "stop" }, (string[])llm.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal("""{"input_cost":0.0012,"output_cost":0.00003,"total_cost":0.00123}""", llm.Tag("mlflow.llm.cost"));
    }

    [Fact]
    public void Usage_reported_without_the_cached_part_is_converted_to_the_inclusive_unit()
    {
        // Anthropic: input_tokens 100 excludes 900 read from and 50 written to the cache.
        var usage = TokenUsage.FromUncachedInput(100, 20, cacheReadInputTokens: 900, cacheCreationInputTokens: 50);

        Assert.Equal(1050, usage.InputTokens);
        Assert.Equal(1070, usage.EffectiveTotalTokens);
        Assert.Equal(900, usage.CacheReadInputTokens);
        Assert.Equal(50, usage.CacheCreationInputTokens);
        Assert.Null(TokenUsage.FromUncachedInput(null, 5).InputTokens);
    }

    [Fact]
    public void Chat_inputs_and_outputs_use_the_openai_shapes_and_turn_on_the_chat_view()
    {
        using var spans = new SpanCollector();
        using (var span = LlmSpan.Start("call"))
        {
            span.SetChatInputs(new[]
            {
                new RecordedChatMessage("system", "Be brief."),
                new RecordedChatMessage("user", "Weather in Paris?"),
                new RecordedChatMessage("assistant", null, new[] { new RecordedToolCall("call_1", "get_forecast", """{"city":"Paris"}""") }),
                new RecordedChatMessage("tool", "18 C", ToolCallId: "call_1"),
            }, model: "m");
            span.SetChatOutput(new RecordedChatMessage("assistant", "It is 18 C."), finishReason: "stop");
        }

        var llm = spans.Single("call");
        Assert.Equal(
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","content":"18 C","tool_call_id":"call_1"}],"model":"m"}""",
            llm.Tag("mlflow.spanInputs"));
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"It is 18 C."},"finish_reason":"stop"}]}""", llm.Tag("mlflow.spanOutputs"));
        Assert.Equal("openai", llm.Tag("mlflow.message.format"));
    }

    [Fact]
    public void Time_to_first_chunk_is_recorded_in_seconds_milliseconds_and_as_an_event()
    {
        using var spans = new SpanCollector();
        var start = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var span = LlmSpan.Start("stream", startTime: start);
        span.SetTimeToFirstChunk(TimeSpan.FromMilliseconds(250));
        span.End(start.AddSeconds(1));

        var llm = spans.Single("stream");
        Assert.Equal(0.25, (double)llm.GetTagItem("gen_ai.response.time_to_first_chunk")!);
        Assert.Equal(250.0, (double)llm.GetTagItem("instrumentation.llm.time_to_first_chunk_ms")!);
        var firstChunk = Assert.Single(llm.Events);
        Assert.Equal("gen_ai.first_chunk", firstChunk.Name);
        Assert.Equal(start.AddMilliseconds(250), firstChunk.Timestamp);
    }

    [Fact]
    public void A_replayed_span_keeps_its_recorded_times_and_never_becomes_current()
    {
        using var spans = new SpanCollector();
        var start = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
        var traceId = ActivityTraceId.CreateRandom();

        var root = AgentSpan.Start("turn", sessionId: "agent:main:s1", startTime: start, parent: LiveSpan.RootOfTrace(traceId));
        Assert.Null(Activity.Current);
        var tool = ToolSpan.Start("read", callId: "call_1", startTime: start.AddMilliseconds(10), parent: root.Activity!.Context);
        tool.SetError("tool_error", "File not found");
        tool.End(start.AddMilliseconds(30));
        root.End(start.AddSeconds(2));
        Assert.Null(Activity.Current);

        var turn = spans.Single("turn");
        var read = spans.Single("read");
        Assert.Equal(traceId, turn.TraceId);
        Assert.Equal(default, turn.ParentSpanId);
        Assert.Equal(start.UtcDateTime, turn.StartTimeUtc);
        Assert.Equal(TimeSpan.FromSeconds(2), turn.Duration);
        Assert.Equal("agent:main:s1", turn.Tag("session.id"));
        Assert.Equal("agent:main:s1", turn.Tag("gen_ai.conversation.id"));
        Assert.Equal(turn.SpanId, read.ParentSpanId);
        Assert.Equal(TimeSpan.FromMilliseconds(20), read.Duration);
        Assert.Equal(ActivityStatusCode.Error, read.Status);
        Assert.Equal("File not found", read.StatusDescription);
        Assert.Equal("tool_error", read.Tag("error.type"));
        Assert.Equal("call_1", read.Tag("gen_ai.tool.call.id"));
    }

    [Fact]
    public void Ending_twice_keeps_the_first_end_and_status()
    {
        using var spans = new SpanCollector();
        var start = DateTimeOffset.UtcNow.AddSeconds(-10);
        var span = ToolSpan.Start("once", startTime: start);

        span.End(start.AddSeconds(1));
        span.SetError(new InvalidOperationException("late"));
        span.End(start.AddSeconds(5));

        var ended = spans.Single("once");
        Assert.Equal(TimeSpan.FromSeconds(1), ended.Duration);
        Assert.Equal(ActivityStatusCode.Ok, ended.Status);
        Assert.Null(ended.Tag("error.type"));
    }

    [Fact]
    public void A_session_scope_stamps_the_root_of_another_library_while_it_runs()
    {
        using var spans = new SpanCollector();
        using var foreignSource = new ActivitySource("Host.Requests");
        using var foreignListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Host.Requests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(foreignListener);

        using (var request = foreignSource.StartActivity("POST /chat"))
        using (TraceSession.Begin("chat-7", userId: "bob"))
        {
            using (AgentSpan.Start("agent"))
            {
            }

            Assert.Equal("chat-7", request!.GetTagItem("session.id"));
            Assert.Equal("bob", request.GetTagItem("user.id"));
        }

        var agent = spans.Single("agent");
        Assert.Null(agent.Tag("session.id"));
        Assert.Equal("chat-7", agent.Tag("gen_ai.conversation.id"));
    }

    [Fact]
    public void Nested_session_scopes_inherit_and_restore()
    {
        using (TraceSession.Begin("outer", userId: "u1"))
        {
            using (TraceSession.Begin("inner"))
            {
                Assert.Equal("inner", TraceSession.Current!.SessionId);
                Assert.Equal("u1", TraceSession.Current.UserId);
            }

            Assert.Equal("outer", TraceSession.Current!.SessionId);
        }

        Assert.Null(TraceSession.Current);
    }

    [Fact]
    public void A_scope_disposed_twice_or_out_of_order_never_brings_back_one_that_ended()
    {
        using var outermost = TraceSession.Begin("outermost");
        var outer = TraceSession.Begin("outer");
        var inner = TraceSession.Begin("inner");

        // The outer scope ends while the inner one is open: the inner one stays current.
        outer.Dispose();
        Assert.Equal("inner", TraceSession.Current!.SessionId);

        // When the inner one ends, the ended outer one is skipped; a second Dispose changes nothing.
        inner.Dispose();
        Assert.Equal("outermost", TraceSession.Current!.SessionId);
        inner.Dispose();
        outer.Dispose();
        Assert.Equal("outermost", TraceSession.Current!.SessionId);
    }

    [Fact]
    public void With_content_capture_off_spans_keep_usage_model_and_errors_but_no_content()
    {
        using var _ = new TelemetryOptionsScope(o => o.CaptureContent = false);
        using var spans = new SpanCollector();
        using (var span = LlmSpan.Start("call", model: "m"))
        {
            Assert.Null(WrapperSpans.BeginInputs(span));
            span.SetChatInputs(new[] { new RecordedChatMessage("user", "private text") });
            span.SetOutput("private answer");
            span.SetUsage(new TokenUsage { InputTokens = 3, OutputTokens = 4 });
            span.SetError(new TimeoutException("slow"));
        }

        var llm = spans.Single("call");
        Assert.Null(llm.Tag("mlflow.spanInputs"));
        Assert.Null(llm.Tag("mlflow.spanOutputs"));
        Assert.Null(llm.Tag("mlflow.message.format"));
        Assert.Equal("""{"input_tokens":3,"output_tokens":4,"total_tokens":7}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("m", llm.Tag("mlflow.llm.model"));
        Assert.Equal("System.TimeoutException", llm.Tag("error.type"));
    }

    [Fact]
    public void A_failure_is_an_exception_event_whose_stack_trace_is_the_exceptions_full_text()
    {
        using var spans = new SpanCollector();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("City not found: Atlantis", new TimeoutException("geocoder"));
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        using (var span = ToolSpan.Start("get_forecast"))
        {
            span.SetError(thrown);
        }

        var exception = Assert.Single(spans.Single("get_forecast").Events);
        Assert.Equal("exception", exception.Name);
        var tags = exception.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("System.InvalidOperationException", tags["exception.type"]);
        Assert.Equal("City not found: Atlantis", tags["exception.message"]);

        // Formatted when an exporter reads it (Convert.ToString, as OTLP does), the same text as the exception's own.
        var text = Convert.ToString(tags["exception.stacktrace"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(thrown.ToString(), text);
        Assert.Contains(nameof(A_failure_is_an_exception_event_whose_stack_trace_is_the_exceptions_full_text), text, StringComparison.Ordinal);
        Assert.Contains("---> System.TimeoutException: geocoder", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Tool_span_started_directly_inside_an_invocation_span_yields_to_it_once()
    {
        using var spans = new SpanCollector();
        using (var invocation = ToolSpan.StartInvocation("get_forecast", callId: "call_1"))
        {
            var first = ToolSpan.Start("GetForecastAsync");
            Assert.Null(first.Activity);
            using var second = ToolSpan.Start("GetForecastAsync");
            Assert.NotNull(second.Activity);
            Assert.Equal(invocation.Activity!.SpanId, second.Activity!.ParentSpanId);
        }

        Assert.Equal(new[] { "GetForecastAsync", "get_forecast" }, spans.Spans.Select(s => s.DisplayName));
    }

    [Fact]
    public void Without_a_listener_starting_a_span_does_nothing()
    {
        Assert.False(AgentTelemetry.IsEnabled);

        var span = ToolSpan.Start("nobody listens");
        span.SetOutput("x");
        span.SetError(new InvalidOperationException());
        span.End();

        Assert.Null(span.Activity);
        Assert.Null(WrapperSpans.BeginInputs(span));
    }

    [Fact]
    public void The_source_is_named_and_versioned_as_documented()
    {
        Assert.Equal("Instrumentation.Agents", AgentTelemetry.Source.Name);
        Assert.Matches(@"^\d+\.\d+\.\d+", AgentTelemetry.Source.Version);
        Assert.DoesNotContain("+", AgentTelemetry.Source.Version);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("TRUE", true)]
    [InlineData("nonsense", true)]
    public void The_genai_capture_variable_sets_content_capture(string value, bool expected)
    {
        Environment.SetEnvironmentVariable(AgentTelemetryOptions.CaptureContentEnvironmentVariable, value);
        try
        {
            Assert.Equal(expected, AgentTelemetryOptions.FromEnvironment().CaptureContent);
        }
        finally
        {
            Environment.SetEnvironmentVariable(AgentTelemetryOptions.CaptureContentEnvironmentVariable, null);
        }
    }
}
