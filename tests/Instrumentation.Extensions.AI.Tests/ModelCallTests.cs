using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>The LLM spans of <c>UseMlflowTracing()</c> placed after <c>UseFunctionInvocation()</c>.</summary>
public sealed class ModelCallTests
{
    private static IChatClient Traced(IChatClient model) => model.AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build();

    [Fact]
    public async Task Each_model_call_is_one_LLM_span_under_the_callers_span()
    {
        using var spans = new SpanCollector();
        await WeatherAgent.RunSessionAsync(Traced(WeatherAgent.Model()), WeatherAgent.PlainTool());

        var turns = spans.OfType(MlflowSpanTypes.Agent);
        var llms = spans.OfType(MlflowSpanTypes.Llm);
        Assert.Equal(2, turns.Count);
        Assert.Equal(3, llms.Count);
        Assert.Equal(new[] { "AGENT", "LLM", "TOOL", "TOOL", "LLM", "AGENT", "LLM" }, spans.TypesInStartOrder());
        Assert.Equal(turns[0].SpanId, llms[0].ParentSpanId);
        Assert.Equal(turns[0].SpanId, llms[1].ParentSpanId);
        Assert.Equal(turns[1].SpanId, llms[2].ParentSpanId);
        Assert.All(llms, l =>
        {
            Assert.Equal("chat gpt-4o-mini", l.DisplayName);
            Assert.Equal(ActivityKind.Client, l.Kind);
            Assert.Equal(ActivityStatusCode.Ok, l.Status);
            Assert.Equal("chat", l.Tag(GenAiAttributes.OperationName));
            Assert.Equal("openai", l.Tag(MlflowAttributes.LlmProvider));
            Assert.Equal("openai", l.Tag(GenAiAttributes.ProviderName));
            Assert.Equal("gpt-4o-mini", l.Tag(GenAiAttributes.RequestModel));
            Assert.Equal("gpt-4o-mini-2024-07-18", l.Tag(GenAiAttributes.ResponseModel));
            Assert.Equal("gpt-4o-mini-2024-07-18", l.Tag(MlflowAttributes.LlmModel));
            Assert.Equal(MlflowAttributes.OpenAiMessageFormat, l.Tag(MlflowAttributes.MessageFormat));
        });
        Assert.Equal(new[] { "resp-1", "resp-2", "resp-3" }, llms.Select(l => l.Tag(GenAiAttributes.ResponseId)));
        Assert.Equal(new[] { "tool_calls", "stop", "stop" }, llms.Select(l => Assert.Single((string[])l.GetTagItem(GenAiAttributes.ResponseFinishReasons)!)));
    }

    [Fact]
    public async Task Usage_is_recorded_per_model_call_with_cache_and_reasoning_tokens()
    {
        using var spans = new SpanCollector();
        await WeatherAgent.RunSessionAsync(Traced(WeatherAgent.Model()), WeatherAgent.PlainTool());

        var llms = spans.OfType(MlflowSpanTypes.Llm);
        Assert.Equal(
            new[]
            {
                """{"input_tokens":300,"output_tokens":40,"total_tokens":340,"cache_read_input_tokens":0}""",
                """{"input_tokens":420,"output_tokens":20,"total_tokens":440,"cache_read_input_tokens":256}""",
                """{"input_tokens":460,"output_tokens":9,"total_tokens":469,"cache_read_input_tokens":384}""",
            },
            llms.Select(l => l.Tag(MlflowAttributes.ChatTokenUsage)));
        Assert.Equal("420", llms[1].Tag(GenAiAttributes.UsageInputTokens));
        Assert.Equal("256", llms[1].Tag(GenAiAttributes.UsageCacheReadInputTokens));
        Assert.Equal("8", llms[1].Tag(GenAiAttributes.UsageReasoningOutputTokens));

        // Usage on LLM spans only: MLflow sums every span's usage, so the turns and tools carry none.
        Assert.All(spans.Spans.Where(s => s.Tag(MlflowAttributes.SpanType) != MlflowSpanTypes.Llm),
            s => Assert.Null(s.Tag(MlflowAttributes.ChatTokenUsage)));
    }

    [Fact]
    public async Task The_chat_view_shows_the_instructions_the_tool_results_as_the_model_received_them_and_the_answer()
    {
        using var spans = new SpanCollector();
        await WeatherAgent.RunSessionAsync(Traced(WeatherAgent.Model()), WeatherAgent.PlainTool());
        var llms = spans.OfType(MlflowSpanTypes.Llm);

        Assert.Equal(
            """{"messages":[{"role":"system","content":"You are a concise weather assistant."},{"role":"user","content":"What's the weather in Paris and Atlantis?"}],"model":"gpt-4o-mini"}""",
            llms[0].Tag(MlflowAttributes.SpanInputs));
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Atlantis\"}"}}]},"finish_reason":"tool_calls"}]}""",
            llms[0].Tag(MlflowAttributes.SpanOutputs));

        // The second call carries the tool results as the function-invoking client sent them: a failure is the generic
        // message the model is told, not the exception.
        Assert.Equal(
            """{"messages":[{"role":"system","content":"You are a concise weather assistant."},{"role":"user","content":"What's the weather in Paris and Atlantis?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Atlantis\"}"}}]},{"role":"tool","content":"{\n  \"city\": \"Paris\",\n  \"condition\": \"sunny\",\n  \"temperatureC\": 18\n}","tool_call_id":"call_1"},{"role":"tool","content":"Error: Function failed.","tool_call_id":"call_2"}],"model":"gpt-4o-mini"}""",
            llms[1].Tag(MlflowAttributes.SpanInputs));
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":"Paris: sunny, 18 °C. I could not get a forecast for Atlantis."},"finish_reason":"stop"}]}""",
            llms[1].Tag(MlflowAttributes.SpanOutputs));
    }

    [Fact]
    public async Task The_offered_tools_are_recorded_in_the_OpenAI_function_tool_shape()
    {
        using var spans = new SpanCollector();
        await WeatherAgent.RunSessionAsync(Traced(WeatherAgent.Model()), WeatherAgent.PlainTool());

        var tools = spans.OfType(MlflowSpanTypes.Llm).Select(l => l.Tag(MlflowAttributes.ChatTools)).Distinct().ToList();
        Assert.Equal(
            """[{"type":"function","function":{"name":"get_forecast","description":"Gets today's forecast for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""",
            Assert.Single(tools));
    }

    [Fact]
    public async Task The_response_is_the_models_own_object_and_a_failure_is_the_models_own_exception()
    {
        using var spans = new SpanCollector();
        var expected = Script.Answer("resp-9", "Hi.", 10, 0, 2);
        var model = new ScriptedChatClient(new[] { expected });
        var client = Traced(model);

        Assert.Same(expected, await client.GetResponseAsync("Hello"));

        var failure = new InvalidOperationException("HTTP 429: rate limited");
        model.FailNext = failure;
        Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("Hello again")));

        var failed = spans.OfType(MlflowSpanTypes.Llm).Last();
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("HTTP 429: rate limited", failed.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.Tag(CommonAttributes.ErrorType));
        Assert.Contains(failed.Events, e => e.Name == "exception");
    }

    [Fact]
    public async Task Nothing_is_recorded_and_nothing_changes_when_nothing_listens()
    {
        Assert.False(AgentTelemetry.IsEnabled);
        var expected = Script.Answer("resp-9", "Hi.", 10, 0, 2);
        var client = Traced(new ScriptedChatClient(new[] { expected }));
        Assert.Same(expected, await client.GetResponseAsync("Hello"));
    }

    [Fact]
    public async Task With_content_capture_off_the_span_keeps_model_usage_and_finish_reason_only()
    {
        using var spans = new SpanCollector();
        AgentTelemetry.Configure(o => o.CaptureContent = false);
        try
        {
            await WeatherAgent.RunSessionAsync(Traced(WeatherAgent.Model()), WeatherAgent.PlainTool());
        }
        finally
        {
            AgentTelemetry.Configure(o => o.CaptureContent = true);
        }

        var llm = spans.OfType(MlflowSpanTypes.Llm)[1];
        Assert.Null(llm.Tag(MlflowAttributes.SpanInputs));
        Assert.Null(llm.Tag(MlflowAttributes.SpanOutputs));
        Assert.Null(llm.Tag(MlflowAttributes.ChatTools));
        Assert.Equal("gpt-4o-mini-2024-07-18", llm.Tag(MlflowAttributes.LlmModel));
        Assert.NotNull(llm.Tag(MlflowAttributes.ChatTokenUsage));
        Assert.All(spans.OfType(MlflowSpanTypes.Tool), t => Assert.Null(t.Tag(MlflowAttributes.SpanInputs)));
    }
}
