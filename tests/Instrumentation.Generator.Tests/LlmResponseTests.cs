using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Testing;
using OpenAI.Chat;
using Anthropic.Models.Messages;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// [LlmCall] on real SDK response types, built through the SDKs' public constructors and factories: every MLflow and
/// GenAI attribute value the generated adapters record, checked by hand against the objects.
/// </summary>
public sealed class LlmResponseTests
{
    [Fact]
    public void An_OpenAI_chat_completion_records_usage_with_cached_and_reasoning_tokens_and_infers_the_provider()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.Next = OpenAiCompletion();

        ChatCompletion completion = models.OpenAi(new ChatMessage[] { new SystemChatMessage("Be brief."), new UserChatMessage("Weather in Paris?") });

        Assert.Same(models.Next, completion);
        AssertOpenAiSpan(spans.Single("OpenAi"), requestModel: "gpt-4o-mini");
        Assert.Equal(
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"}],"model":"gpt-4o-mini"}""",
            spans.Single("OpenAi").Tag("mlflow.spanInputs"));
    }

    [Fact]
    public void A_ClientResult_of_an_OpenAI_chat_completion_is_read_through_its_value()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        models.Next = ClientResult.FromValue(OpenAiCompletion(), new EmptyPipelineResponse());

        ClientResult<ChatCompletion> result = models.OpenAiResult(new ChatMessage[] { new UserChatMessage("Weather in Paris?") });

        Assert.Same(models.Next, result);
        AssertOpenAiSpan(spans.Single("OpenAiResult"), requestModel: null);
    }

    [Fact]
    public async Task An_Anthropic_message_converts_usage_to_the_inclusive_unit_and_records_tool_use()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();
        // The wire format, as Anthropic's API returns it and the SDK deserializes it.
        models.Next = JsonSerializer.Deserialize<Message>("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_1","name":"get_forecast","input":{"city":"Lyon"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":100,"output_tokens":20,"cache_read_input_tokens":900,"cache_creation_input_tokens":50}}
            """)!;
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""
            {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be brief.",
             "messages":[{"role":"user","content":"Weather in Paris?"},
                         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_0","name":"get_forecast","input":{"city":"Paris"}}]},
                         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_0","content":"18 C"}]}]}
            """)!;
        var request = MessageCreateParams.FromRawUnchecked(new Dictionary<string, JsonElement>(), new Dictionary<string, JsonElement>(), body);

        Message message = await models.AnthropicAsync(request);

        Assert.Same(models.Next, message);
        var llm = spans.Single("AnthropicAsync");
        // Anthropic's input_tokens exclude the cache: 100 + 900 read + 50 written = 1050 prompt tokens.
        Assert.Equal("""{"input_tokens":1050,"output_tokens":20,"total_tokens":1070,"cache_read_input_tokens":900,"cache_creation_input_tokens":50}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("1050", llm.Tag("gen_ai.usage.input_tokens"));
        Assert.Equal("50", llm.Tag("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Equal("anthropic", llm.Tag("mlflow.llm.provider"));
        Assert.Equal("claude-sonnet-4-5", llm.Tag("mlflow.llm.model"));
        Assert.Equal("msg_1", llm.Tag("gen_ai.response.id"));
        Assert.Equal(new[] { "tool_use" }, (string[])llm.GetTagItem("gen_ai.response.finish_reasons")!);
        // Anthropic's tool_result block, inside a user message, becomes an OpenAI-shaped "tool" message.
        Assert.Equal(
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_0","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","content":"18 C","tool_call_id":"toolu_0"}],"model":"claude-sonnet-4-5"}""",
            llm.Tag("mlflow.spanInputs"));
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":"Let me check.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Lyon\"}"}}]},"finish_reason":"tool_use"}]}""",
            llm.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public void A_user_type_implementing_ILlmResponse_records_its_usage_and_answer()
    {
        using var spans = new SpanCollector();
        var models = LlmPrograms.NewModels();

        var reply = models.Custom("hello");

        Assert.Equal("echo: hello", (string)reply.Text);
        var llm = spans.Single("Custom");
        Assert.Equal("""{"input_tokens":10,"output_tokens":2,"total_tokens":12}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("my-model", llm.Tag("mlflow.llm.model"));
        Assert.Equal("""{"messages":[{"role":"user","content":"hello"}]}""", llm.Tag("mlflow.spanInputs"));
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"echo: hello"},"finish_reason":"stop"}]}""", llm.Tag("mlflow.spanOutputs"));
    }

    internal static ChatCompletion OpenAiCompletion() => OpenAIChatModelFactory.ChatCompletion(
        id: "chatcmpl-1",
        finishReason: ChatFinishReason.ToolCalls,
        content: new ChatMessageContent("Checking."),
        toolCalls: [ChatToolCall.CreateFunctionToolCall("call_9", "get_forecast", BinaryData.FromString("""{"city":"Paris"}"""))],
        role: ChatMessageRole.Assistant,
        model: "gpt-4o-mini-2024-07-18",
        usage: OpenAIChatModelFactory.ChatTokenUsage(
            outputTokenCount: 25,
            inputTokenCount: 2000,
            totalTokenCount: 2025,
            outputTokenDetails: OpenAIChatModelFactory.ChatOutputTokenUsageDetails(reasoningTokenCount: 7),
            inputTokenDetails: OpenAIChatModelFactory.ChatInputTokenUsageDetails(audioTokenCount: 0, cachedTokenCount: 1536)));

    private static void AssertOpenAiSpan(System.Diagnostics.Activity llm, string? requestModel)
    {
        Assert.Equal("""{"input_tokens":2000,"output_tokens":25,"total_tokens":2025,"cache_read_input_tokens":1536}""", llm.Tag("mlflow.chat.tokenUsage"));
        Assert.Equal("1536", llm.Tag("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal("7", llm.Tag("gen_ai.usage.reasoning.output_tokens"));
        Assert.Equal(requestModel, llm.Tag("gen_ai.request.model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", llm.Tag("gen_ai.response.model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", llm.Tag("mlflow.llm.model"));
        Assert.Equal("openai", llm.Tag("mlflow.llm.provider"));
        Assert.Equal("chatcmpl-1", llm.Tag("gen_ai.response.id"));
        Assert.Equal(new[] { "tool_calls" }, (string[])llm.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal(
            """{"choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_forecast","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}""",
            llm.Tag("mlflow.spanOutputs"));
    }

    /// <summary>The smallest pipeline response <c>ClientResult.FromValue</c> accepts.</summary>
    private sealed class EmptyPipelineResponse : PipelineResponse
    {
        public override int Status => 200;

        public override string ReasonPhrase => "OK";

        public override Stream? ContentStream { get; set; }

        public override BinaryData Content => BinaryData.Empty;

        protected override PipelineResponseHeaders HeadersCore => throw new NotSupportedException();

        public override BinaryData BufferContent(CancellationToken cancellationToken = default) => BinaryData.Empty;

        public override ValueTask<BinaryData> BufferContentAsync(CancellationToken cancellationToken = default) => new(BinaryData.Empty);

        public override void Dispose()
        {
        }
    }
}
