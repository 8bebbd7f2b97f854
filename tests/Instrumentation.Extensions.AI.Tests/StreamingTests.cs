using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>The LLM span of <c>GetStreamingResponseAsync</c>: open while the caller reads, answer accumulated.</summary>
public sealed class StreamingTests
{
    private static IChatClient Traced(IChatClient model) => model.AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build();

    [Fact]
    public async Task A_streamed_session_records_the_same_spans_with_the_time_to_first_token()
    {
        using var spans = new SpanCollector();
        var (first, second) = await WeatherAgent.RunSessionAsync(Traced(WeatherAgent.Model()), WeatherAgent.PlainTool(), streaming: true);

        Assert.Equal(WeatherAgent.FirstAnswer, first.Text);
        Assert.Equal(WeatherAgent.SecondAnswer, second.Text);
        Assert.Equal(new[] { "AGENT", "LLM", "TOOL", "TOOL", "LLM", "AGENT", "LLM" }, spans.TypesInStartOrder());

        var llms = spans.OfType(MlflowSpanTypes.Llm);
        Assert.All(llms, l =>
        {
            Assert.Equal("completed", l.Tag(InstrumentationAttributes.StreamOutcome));
            Assert.NotNull(l.GetTagItem(GenAiAttributes.ResponseTimeToFirstChunk));
            Assert.NotNull(l.GetTagItem(InstrumentationAttributes.TimeToFirstChunkMs));
            Assert.Contains(l.Events, e => e.Name == InstrumentationAttributes.FirstChunkEvent);
            Assert.Equal("gpt-4o-mini-2024-07-18", l.Tag(MlflowAttributes.LlmModel));
        });

        // The answer is put back together from its chunks, with the usage and finish reason of the last one.
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":"I only know today's weather."},"finish_reason":"stop"}]}""",
            llms[2].Tag(MlflowAttributes.SpanOutputs));
        Assert.Equal("""{"input_tokens":460,"output_tokens":9,"total_tokens":469,"cache_read_input_tokens":384}""", llms[2].Tag(MlflowAttributes.ChatTokenUsage));
        Assert.Equal("resp-3", llms[2].Tag(GenAiAttributes.ResponseId));
        Assert.Equal("6", llms[2].Tag(InstrumentationAttributes.StreamChunks));
        Assert.Contains("\"tool_calls\":[{\"id\":\"call_1\"", llms[0].Tag(MlflowAttributes.SpanOutputs), StringComparison.Ordinal);
        Assert.StartsWith("""{"messages":[{"role":"system","content":"You are a concise weather assistant."}""", llms[0].Tag(MlflowAttributes.SpanInputs), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_the_caller_stops_reading_is_abandoned_not_failed()
    {
        using var spans = new SpanCollector();
        var client = Traced(new ScriptedChatClient(new[] { Script.Answer("resp-1", "one two three four", 10, 0, 4) }));

        await foreach (var update in client.GetStreamingResponseAsync("Count"))
        {
            Assert.Equal("one", update.Text);
            break;
        }

        var llm = Assert.Single(spans.OfType(MlflowSpanTypes.Llm));
        Assert.Equal("abandoned", llm.Tag(InstrumentationAttributes.StreamOutcome));
        Assert.Equal(ActivityStatusCode.Ok, llm.Status);
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"one"}}]}""", llm.Tag(MlflowAttributes.SpanOutputs));
    }

    [Fact]
    public async Task A_stream_that_fails_is_an_error_and_the_caller_gets_the_models_exception()
    {
        using var spans = new SpanCollector();
        var model = new ScriptedChatClient(new[] { Script.Answer("resp-1", "never", 1, 0, 1) });
        var failure = new TimeoutException("The provider did not answer in 100 s.");
        model.FailNext = failure;
        var client = Traced(model);

        var thrown = await Assert.ThrowsAsync<TimeoutException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Hello"))
            {
                _ = update;
            }
        });

        Assert.Same(failure, thrown);
        var llm = Assert.Single(spans.OfType(MlflowSpanTypes.Llm));
        Assert.Equal("failed", llm.Tag(InstrumentationAttributes.StreamOutcome));
        Assert.Equal(ActivityStatusCode.Error, llm.Status);
        Assert.Equal(typeof(TimeoutException).FullName, llm.Tag(CommonAttributes.ErrorType));
    }

    [Fact]
    public async Task A_stream_nobody_reads_leaves_no_span()
    {
        using var spans = new SpanCollector();
        var client = Traced(new ScriptedChatClient(new[] { Script.Answer("resp-1", "unread", 1, 0, 1) }));

        IAsyncEnumerable<ChatResponseUpdate> stream = client.GetStreamingResponseAsync("Hello");
        await Task.Yield();

        Assert.NotNull(stream);
        Assert.Empty(spans.OfType(MlflowSpanTypes.Llm));
        Assert.Equal("unread", (await stream.ToChatResponseAsync()).Text);
        Assert.Single(spans.OfType(MlflowSpanTypes.Llm));
    }
}
