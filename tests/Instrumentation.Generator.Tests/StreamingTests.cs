using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Testing;
using OpenAI.Chat;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// Methods returning <c>IAsyncEnumerable&lt;T&gt;</c>: the span stays open while the stream is enumerated and ends with the
/// right status and outcome however enumeration ends; chunks accumulate into the output; the first chunk is timed.
/// </summary>
public sealed class StreamingTests
{
    private static async Task<List<T>> ReadAll<T>(IAsyncEnumerable<T> stream, CancellationToken cancellationToken = default)
    {
        var items = new List<T>();
        await foreach (var item in stream.WithCancellation(cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }

    [Fact]
    public async Task An_OpenAI_stream_assembles_tool_calls_from_their_deltas_and_takes_usage_from_the_last_chunk()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.StreamItems.Add(OpenAIChatModelFactory.StreamingChatCompletionUpdate(completionId: "chatcmpl-5", model: "gpt-4o-mini",
            toolCallUpdates: [OpenAIChatModelFactory.StreamingChatToolCallUpdate(index: 0, toolCallId: "call_1", kind: ChatToolCallKind.Function, functionName: "get_forecast", functionArgumentsUpdate: BinaryData.FromString(""))]));
        models.StreamItems.Add(OpenAIChatModelFactory.StreamingChatCompletionUpdate(
            toolCallUpdates: [OpenAIChatModelFactory.StreamingChatToolCallUpdate(index: 0, functionArgumentsUpdate: BinaryData.FromString("""{"city":""")) ]));
        models.StreamItems.Add(OpenAIChatModelFactory.StreamingChatCompletionUpdate(
            toolCallUpdates: [OpenAIChatModelFactory.StreamingChatToolCallUpdate(index: 0, functionArgumentsUpdate: BinaryData.FromString("\"Paris\"}"))],
            finishReason: ChatFinishReason.ToolCalls));
        models.StreamItems.Add(OpenAIChatModelFactory.StreamingChatCompletionUpdate(
            usage: OpenAIChatModelFactory.ChatTokenUsage(outputTokenCount: 9, inputTokenCount: 1300, totalTokenCount: 1309,
                outputTokenDetails: null, inputTokenDetails: OpenAIChatModelFactory.ChatInputTokenUsageDetails(audioTokenCount: 0, cachedTokenCount: 1024))));

        IAsyncEnumerable<StreamingChatCompletionUpdate> stream = models.OpenAiStream(new ChatMessage[] { new UserChatMessage("Weather in Paris?") });
        await ReadAll(stream);

        var llm = spans.Single("OpenAiStream");
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}""",
            llm.Tag("mlflow.spanOutputs"));
        Assert.Equal("""{"input_tokens":1300,"output_tokens":9,"total_tokens":1309,"cache_read_input_tokens":1024}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("gpt-4o-mini", llm.Tag("gen_ai.response.model"));
        Assert.Equal("chatcmpl-5", llm.Tag("gen_ai.response.id"));
    }

    [Fact]
    public async Task A_text_stream_records_the_text_and_the_time_to_its_first_chunk()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.StreamItems.AddRange(new object[] { "Hel", "lo", "!" });
        models.FirstItemDelayMs = 150;

        var text = string.Concat(await ReadAll((IAsyncEnumerable<string>)models.TextStream("hi")));

        Assert.Equal("Hello!", text);
        var llm = spans.Single("TextStream");
        Assert.Equal("""{"messages":[{"role":"user","content":"hi"}],"model":"text-model"}""", llm.Tag("mlflow.spanInputs"));
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"}}]}""", llm.Tag("mlflow.spanOutputs"));
        var firstChunkMs = (double)llm.GetTagItem("instrumentation.llm.time_to_first_chunk_ms")!;
        // The body waited 150 ms before its first item; timer and wall clock may disagree by a millisecond or two.
        Assert.InRange(firstChunkMs, 140, llm.Duration.TotalMilliseconds);
        // The same duration in seconds. Compared within 1e-9 s, not rounded to 6 places: two doubles a rounding error
        // apart can round to different sixth decimals (this failed once in ~20 runs: 0.15207749999 against 0.1520775).
        Assert.Equal(firstChunkMs / 1000, (double)llm.GetTagItem("gen_ai.response.time_to_first_chunk")!, tolerance: 1e-9);
        Assert.Equal(llm.StartTimeUtc.AddMilliseconds(firstChunkMs), Assert.Single(llm.Events).Timestamp.UtcDateTime, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Spans_the_body_starts_while_streaming_nest_under_the_stream_span()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.StreamItems.AddRange(new object[] { "a", "b" });

        await ReadAll((IAsyncEnumerable<string>)models.TextStream("hi"));

        var stream = spans.Single("TextStream");
        var lookups = spans.Spans.Where(s => s.DisplayName == "Lookup").ToList();
        Assert.Equal(2, lookups.Count);
        Assert.All(lookups, lookup => Assert.Equal(stream.SpanId, lookup.ParentSpanId));
        Assert.Null(Activity.Current);
    }

    [Fact]
    public async Task Breaking_out_early_ends_the_span_as_abandoned_but_not_failed()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.StreamItems.AddRange(new object[] { "one", "two", "three" });

        await foreach (var item in (IAsyncEnumerable<string>)models.TextStream("hi"))
        {
            if (item == "two")
            {
                break;
            }
        }

        var llm = spans.Single("TextStream");
        Assert.Equal(ActivityStatusCode.Ok, llm.Status);
        Assert.Equal("abandoned", llm.Tag("instrumentation.stream.outcome"));
        Assert.Equal("2", llm.Tag("instrumentation.stream.chunks"));
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"onetwo"}}]}""", llm.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task An_exception_mid_stream_reaches_the_consumer_unchanged_and_fails_the_span()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.StreamItems.AddRange(new object[] { "one", "two", "three" });
        models.ThrowAt = 2;

        var received = new List<string>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in (IAsyncEnumerable<string>)models.TextStream("hi"))
            {
                received.Add(item);
            }
        });

        Assert.Equal("stream broke", error.Message);
        Assert.Equal(["one", "two"], received);
        var llm = spans.Single("TextStream");
        Assert.Equal(ActivityStatusCode.Error, llm.Status);
        Assert.Equal("stream broke", llm.StatusDescription);
        Assert.Equal("failed", llm.Tag("instrumentation.stream.outcome"));
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"onetwo"}}]}""", llm.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task Cancelling_through_WithCancellation_fails_the_span_with_the_cancellation()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.StreamItems.AddRange(new object[] { "one", "two", "three" });
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in ((IAsyncEnumerable<string>)models.TextStream("hi")).WithCancellation(cancellation.Token))
            {
                cancellation.Cancel();
            }
        });

        var llm = spans.Single("TextStream");
        Assert.Equal(ActivityStatusCode.Error, llm.Status);
        Assert.Equal("failed", llm.Tag("instrumentation.stream.outcome"));
        Assert.Equal("System.OperationCanceledException", llm.Tag("error.type"));
    }

    [Fact]
    public async Task A_stream_nobody_enumerates_leaves_no_span_and_a_tool_stream_records_its_items()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();

        _ = (IAsyncEnumerable<int>)models.Numbers(5);
        var numbers = await ReadAll((IAsyncEnumerable<int>)models.Numbers(3));

        Assert.Equal([0, 1, 2], numbers);
        var tool = spans.Single("Numbers");
        Assert.Equal("TOOL", tool.Tag("mlflow.spanType"));
        Assert.Equal("""{"count":3}""", tool.Tag("mlflow.spanInputs"));
        Assert.Equal("[0,1,2]", tool.Tag("mlflow.spanOutputs"));
        Assert.Equal("completed", tool.Tag("instrumentation.stream.outcome"));
        Assert.Null(tool.GetTagItem("instrumentation.llm.time_to_first_chunk_ms"));
    }
}
