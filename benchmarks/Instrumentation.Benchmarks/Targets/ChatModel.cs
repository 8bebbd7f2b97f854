using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation;
using Microsoft.Extensions.AI;

namespace Instrumentation.Benchmarks.Targets;

/// <summary>
/// The traced side of the LLM benchmarks: the same model call wrapped twice. <c>[LlmCall]</c> gets the generated
/// Microsoft.Extensions.AI adapter (token usage, model, response id, finish reason, chat-shaped inputs and outputs);
/// <c>[Tool]</c> is the plain wrapper (span, generic JSON of the arguments and the result, nothing LLM-specific).
/// </summary>
public partial class ChatModel
{
    private readonly Task<ChatResponse> _response;

    public ChatModel(ChatResponse response) => _response = Task.FromResult(response);

    [LlmCall(Model = "gpt-4o-mini", Provider = "openai")]
    public partial Task<ChatResponse> CompleteAsync(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken = default);

    [Tool(Name = "CompleteAsync")]
    public partial Task<ChatResponse> CompletePlainAsync(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken = default);

    /// <summary>The model: answers at once with a prepared response, as a cache or a fake does.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<ChatResponse> CompleteAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) => _response;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<ChatResponse> CompletePlainAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) => _response;

    /// <summary>A four-message conversation: system prompt, question, the model's tool call and the tool's result.</summary>
    public static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "You are a concise weather assistant. Answer with the tools you are given."),
        new(ChatRole.User, "What's the weather in Paris today?"),
        new(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_forecast", new Dictionary<string, object?> { ["city"] = "Paris" })]),
        new(ChatRole.Tool, [new FunctionResultContent("call_1", "{\"City\":\"Paris\",\"Condition\":\"sunny\",\"TemperatureC\":18}")]),
    ];

    /// <summary>The answer: one assistant message, with usage, model, response id and finish reason.</summary>
    public static ChatResponse Answer() => new(new ChatMessage(ChatRole.Assistant, "Paris: sunny, 18 °C."))
    {
        ModelId = "gpt-4o-mini-2024-07-18",
        ResponseId = "chatcmpl-bench-1",
        FinishReason = ChatFinishReason.Stop,
        Usage = new UsageDetails { InputTokenCount = 306, OutputTokenCount = 15, TotalTokenCount = 321, CachedInputTokenCount = 256 },
    };
}
