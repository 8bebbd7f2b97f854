using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;
using Meai = Microsoft.Extensions.AI;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// [LlmCall] on Microsoft.Extensions.AI types: what the generated adapter records from a response, a stream and a
/// tool loop. Compiled into two test projects: Instrumentation.Generator.Tests runs it against the newest
/// Microsoft.Extensions.AI.Abstractions (Directory.Packages.props), Instrumentation.Generator.MeaiFloor.Tests against
/// the oldest the adapter supports (<c>MicrosoftExtensionsAIFloorVersion</c>), so neither end of the supported range
/// breaks unnoticed. The program uses no other SDK, since the Anthropic SDK itself needs a newer Microsoft.Extensions.AI.
/// </summary>
public sealed class MicrosoftExtensionsAITests
{
    [Fact]
    public void The_tests_run_on_the_Microsoft_Extensions_AI_version_their_project_names()
    {
        var expected = typeof(MicrosoftExtensionsAITests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "MicrosoftExtensionsAIVersion").Value;
        var loaded = typeof(Meai.ChatResponse).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        // The informational version is the package version, then "+<commit>".
        Assert.Equal(expected, loaded.Split('+')[0]);
    }

    [Fact]
    public async Task A_Microsoft_Extensions_AI_response_records_usage_model_chat_shapes_and_tool_calls()
    {
        using var spans = new SpanCollector();
        var models = MeaiPrograms.NewModels();
        models.Next = new Meai.ChatResponse(new Meai.ChatMessage(Meai.ChatRole.Assistant,
            [new Meai.TextContent("Checking."), new Meai.FunctionCallContent("call_2", "get_forecast", new Dictionary<string, object?> { ["city"] = "Lyon" })]))
        {
            ModelId = "gpt-4o-2024-08-06",
            ResponseId = "resp_1",
            FinishReason = Meai.ChatFinishReason.ToolCalls,
            Usage = new Meai.UsageDetails { InputTokenCount = 1200, OutputTokenCount = 30, TotalTokenCount = 1230, CachedInputTokenCount = 800, ReasoningTokenCount = 10 },
        };
        List<Meai.ChatMessage> messages =
        [
            new(Meai.ChatRole.System, "Be brief."),
            new(Meai.ChatRole.User, "Weather in Paris?"),
            new(Meai.ChatRole.Assistant, [new Meai.FunctionCallContent("call_1", "get_forecast", new Dictionary<string, object?> { ["city"] = "Paris" })]),
            new(Meai.ChatRole.Tool, [new Meai.FunctionResultContent("call_1", "18 C")]),
        ];

        Meai.ChatResponse response = await models.MeaiAsync(messages, new Meai.ChatOptions { ModelId = "gpt-4o" });

        Assert.Same(models.Next, response);
        var llm = spans.Single("MeaiAsync");
        Assert.Equal("LLM", llm.Tag("mlflow.spanType"));
        Assert.Equal("""{"input_tokens":1200,"output_tokens":30,"total_tokens":1230,"cache_read_input_tokens":800}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("1200", llm.Tag("gen_ai.usage.input_tokens"));
        Assert.Equal("30", llm.Tag("gen_ai.usage.output_tokens"));
        Assert.Equal("800", llm.Tag("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal("10", llm.Tag("gen_ai.usage.reasoning.output_tokens"));
        Assert.Equal("gpt-4o-2024-08-06", llm.Tag("mlflow.llm.model"));
        Assert.Equal("gpt-4o-2024-08-06", llm.Tag("gen_ai.response.model"));
        Assert.Equal("azure.ai.inference", llm.Tag("mlflow.llm.provider"));
        Assert.Equal("resp_1", llm.Tag("gen_ai.response.id"));
        Assert.Equal(new[] { "tool_calls" }, (string[])llm.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal("openai", llm.Tag("mlflow.message.format"));
        Assert.Equal(
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","content":"18 C","tool_call_id":"call_1"}],"model":"gpt-4o"}""",
            llm.Tag("mlflow.spanInputs"));
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_2","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Lyon\"}"}}]},"finish_reason":"tool_calls"}]}""",
            llm.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task The_instructions_lead_the_conversation_and_the_offered_tools_are_recorded_in_the_OpenAI_shape()
    {
        // The adapter is the one UseMlflowTracing() compiles too, so an [LlmCall] taking ChatOptions records what a
        // traced chat client does: ChatOptions.Instructions as the system message, the function tools as mlflow.chat.tools.
        using var spans = new SpanCollector();
        var models = MeaiPrograms.NewModels();
        models.Next = new Meai.ChatResponse(new Meai.ChatMessage(Meai.ChatRole.Assistant, "Sunny.")) { ModelId = "gpt-4o" };
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var options = new Meai.ChatOptions
        {
            ModelId = "gpt-4o",
            Instructions = "You are a weather assistant.",
            Tools = [Meai.AIFunctionFactory.CreateDeclaration("get_forecast", "Gets the forecast.", schema.RootElement.Clone())],
        };

        await models.MeaiAsync(new List<Meai.ChatMessage> { new(Meai.ChatRole.User, "Paris?") }, options);

        var llm = spans.Single("MeaiAsync");
        Assert.Equal(
            """{"messages":[{"role":"system","content":"You are a weather assistant."},{"role":"user","content":"Paris?"}],"model":"gpt-4o"}""",
            llm.Tag("mlflow.spanInputs"));
        Assert.Equal(
            """[{"type":"function","function":{"name":"get_forecast","description":"Gets the forecast.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""",
            llm.Tag("mlflow.chat.tools"));
    }

    [Fact]
    public async Task Each_llm_span_of_a_tool_loop_carries_only_its_own_usage_and_they_sum_to_the_total()
    {
        using var spans = new SpanCollector();
        var models = MeaiPrograms.NewModels();
        long[] inputs = [500, 620, 760];
        long[] cached = [0, 384, 512];
        long[] outputs = [15, 12, 40];

        for (var call = 0; call < 3; call++)
        {
            models.Next = new Meai.ChatResponse(new Meai.ChatMessage(Meai.ChatRole.Assistant, "step " + call))
            {
                Usage = new Meai.UsageDetails { InputTokenCount = inputs[call], OutputTokenCount = outputs[call], CachedInputTokenCount = cached[call] },
            };
            await models.MeaiAsync(new List<Meai.ChatMessage> { new(Meai.ChatRole.User, "q") });
            models.Lookup(call);
        }

        var usages = spans.Spans.Where(s => s.DisplayName == "MeaiAsync")
            .Select(s => JsonDocument.Parse(s.Tag("mlflow.chat.tokenUsage")!).RootElement).ToList();
        Assert.Equal(inputs, usages.Select(u => u.GetProperty("input_tokens").GetInt64()));
        Assert.Equal(cached, usages.Select(u => u.GetProperty("cache_read_input_tokens").GetInt64()));
        Assert.Equal(outputs, usages.Select(u => u.GetProperty("output_tokens").GetInt64()));
        Assert.Equal(inputs.Sum() + outputs.Sum(), usages.Sum(u => u.GetProperty("total_tokens").GetInt64()));
        Assert.All(spans.Spans.Where(s => s.DisplayName == "Lookup"), tool => Assert.Null(tool.Tag("mlflow.chat.tokenUsage")));
    }

    [Fact]
    public async Task A_Microsoft_Extensions_AI_stream_accumulates_text_usage_and_model_into_one_chat_output()
    {
        using var spans = new SpanCollector();
        var models = MeaiPrograms.NewModels();
        models.StreamItems.Add(new Meai.ChatResponseUpdate(Meai.ChatRole.Assistant, "It is ") { ModelId = "gpt-4o", ResponseId = "resp_7" });
        models.StreamItems.Add(new Meai.ChatResponseUpdate(Meai.ChatRole.Assistant, "sunny."));
        models.StreamItems.Add(new Meai.ChatResponseUpdate
        {
            FinishReason = Meai.ChatFinishReason.Stop,
            Contents = [new Meai.UsageContent(new Meai.UsageDetails { InputTokenCount = 900, OutputTokenCount = 4, CachedInputTokenCount = 512 })],
        });

        IAsyncEnumerable<Meai.ChatResponseUpdate> stream = models.MeaiStream(new List<Meai.ChatMessage> { new(Meai.ChatRole.User, "Weather?") });
        Assert.Empty(spans.Spans);
        var updates = await ReadAllAsync(stream);

        Assert.Equal(3, updates.Count);
        var llm = spans.Single("MeaiStream");
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"It is sunny."},"finish_reason":"stop"}]}""", llm.Tag("mlflow.spanOutputs"));
        Assert.Equal("""{"input_tokens":900,"output_tokens":4,"total_tokens":904,"cache_read_input_tokens":512}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("gpt-4o", llm.Tag("mlflow.llm.model"));
        Assert.Equal("resp_7", llm.Tag("gen_ai.response.id"));
        Assert.Equal("completed", llm.Tag("instrumentation.stream.outcome"));
        Assert.Equal("3", llm.Tag("instrumentation.stream.chunks"));
        Assert.Equal(ActivityStatusCode.Ok, llm.Status);
        Assert.NotNull(llm.GetTagItem("instrumentation.llm.time_to_first_chunk_ms"));
        Assert.Equal("gen_ai.first_chunk", Assert.Single(llm.Events).Name);
    }

    private static async Task<List<T>> ReadAllAsync<T>(IAsyncEnumerable<T> stream)
    {
        var items = new List<T>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }

        return items;
    }
}

/// <summary>A user program with Microsoft.Extensions.AI [LlmCall] methods and a tool, compiled once for these tests.
/// Bodies return what the test put in <c>Next</c> / <c>StreamItems</c>.</summary>
internal static class MeaiPrograms
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;
        using Meai = Microsoft.Extensions.AI;

        namespace MeaiLlm;

        public partial class Models
        {
            public object? Next;
            public List<object> StreamItems = new();

            [LlmCall(Provider = "azure.ai.inference")]
            public partial Task<Meai.ChatResponse> MeaiAsync(IList<Meai.ChatMessage> messages, Meai.ChatOptions? options = null, CancellationToken ct = default);
            private async Task<Meai.ChatResponse> MeaiAsyncCore(IList<Meai.ChatMessage> messages, Meai.ChatOptions? options, CancellationToken ct)
            {
                await Task.Yield();
                return (Meai.ChatResponse)Next!;
            }

            [LlmCall]
            public partial IAsyncEnumerable<Meai.ChatResponseUpdate> MeaiStream(IList<Meai.ChatMessage> messages);
            private async IAsyncEnumerable<Meai.ChatResponseUpdate> MeaiStreamCore(IList<Meai.ChatMessage> messages)
            {
                foreach (var item in StreamItems) { await Task.Yield(); yield return (Meai.ChatResponseUpdate)item; }
            }

            [Tool] public partial int Lookup(int index);
            private int LookupCore(int index) => index;
        }
        """;

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(Source).Load());

    public static dynamic NewModels() => Activator.CreateInstance(s_assembly.Value.GetType("MeaiLlm.Models")!)!;
}
