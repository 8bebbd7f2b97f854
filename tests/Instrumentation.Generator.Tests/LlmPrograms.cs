using System;
using System.Reflection;
using Instrumentation.Generator.Tests.Infrastructure;

namespace Instrumentation.Generator.Tests;

/// <summary>A user program with an [LlmCall] method for every supported SDK type, compiled once for the LLM tests.
/// Bodies return what the test put in <c>Next</c> / <c>StreamItems</c>.</summary>
internal static class LlmPrograms
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;
        using Instrumentation.Runtime.Chat;
        using Instrumentation.Runtime.Llm;
        using Instrumentation.Runtime.Usage;
        using Meai = Microsoft.Extensions.AI;
        using OpenAI.Chat;
        using Anthropic.Models.Messages;

        namespace Llm;

        public sealed record MyReply(string Text) : ILlmResponse
        {
            public TokenUsage Usage => new() { InputTokens = 10, OutputTokens = 2 };
            public string? Model => "my-model";
            public string? ResponseId => "r-1";
            public string? FinishReason => "stop";
            public RecordedChatMessage? OutputMessage => new("assistant", Text);
        }

        public partial class Models
        {
            public object? Next;
            public List<object> StreamItems = new();
            public int FirstItemDelayMs;
            public int ThrowAt = -1;
            public int Calls;
            public Func<int, Exception?>? FailAttempt;

            [LlmCall(Provider = "azure.ai.inference")]
            public partial Task<Meai.ChatResponse> MeaiAsync(IList<Meai.ChatMessage> messages, Meai.ChatOptions? options = null, CancellationToken ct = default);
            private async Task<Meai.ChatResponse> MeaiAsyncCore(IList<Meai.ChatMessage> messages, Meai.ChatOptions? options, CancellationToken ct)
            {
                var call = ++Calls;
                await Task.Yield();
                if (FailAttempt?.Invoke(call) is { } failure) throw failure;
                return (Meai.ChatResponse)Next!;
            }

            [LlmCall(Model = "gpt-4o-mini")]
            public partial ChatCompletion OpenAi(IEnumerable<ChatMessage> messages, ChatCompletionOptions? options = null);
            private ChatCompletion OpenAiCore(IEnumerable<ChatMessage> messages, ChatCompletionOptions? options) { Calls++; return (ChatCompletion)Next!; }

            [LlmCall]
            public partial System.ClientModel.ClientResult<ChatCompletion> OpenAiResult(IEnumerable<ChatMessage> messages);
            private System.ClientModel.ClientResult<ChatCompletion> OpenAiResultCore(IEnumerable<ChatMessage> messages) { Calls++; return (System.ClientModel.ClientResult<ChatCompletion>)Next!; }

            [LlmCall]
            public partial ValueTask<Message> AnthropicAsync(MessageCreateParams request);
            private ValueTask<Message> AnthropicAsyncCore(MessageCreateParams request) { Calls++; return new((Message)Next!); }

            [LlmCall]
            public partial MyReply Custom(string prompt);
            private MyReply CustomCore(string prompt) { Calls++; return new MyReply("echo: " + prompt); }

            [LlmCall]
            public partial IAsyncEnumerable<Meai.ChatResponseUpdate> MeaiStream(IList<Meai.ChatMessage> messages);
            private async IAsyncEnumerable<Meai.ChatResponseUpdate> MeaiStreamCore(IList<Meai.ChatMessage> messages)
            {
                foreach (var item in StreamItems) { await Task.Yield(); yield return (Meai.ChatResponseUpdate)item; }
            }

            [LlmCall]
            public partial IAsyncEnumerable<StreamingChatCompletionUpdate> OpenAiStream(IEnumerable<ChatMessage> messages);
            private async IAsyncEnumerable<StreamingChatCompletionUpdate> OpenAiStreamCore(IEnumerable<ChatMessage> messages)
            {
                foreach (var item in StreamItems) { await Task.Yield(); yield return (StreamingChatCompletionUpdate)item; }
            }

            [LlmCall(Model = "text-model")]
            public partial IAsyncEnumerable<string> TextStream(string prompt, CancellationToken ct = default);
            private async IAsyncEnumerable<string> TextStreamCore(string prompt, [EnumeratorCancellation] CancellationToken ct)
            {
                var index = 0;
                foreach (var item in StreamItems)
                {
                    if (index == 0 && FirstItemDelayMs > 0) await Task.Delay(FirstItemDelayMs, ct);
                    if (index == ThrowAt) throw new InvalidOperationException("stream broke");
                    ct.ThrowIfCancellationRequested();
                    await Task.Yield();
                    Lookup(index);
                    index++;
                    yield return (string)item;
                }
            }

            [Tool] public partial int Lookup(int index);
            private int LookupCore(int index) => index;

            [Tool] public partial IAsyncEnumerable<int> Numbers(int count);
            private async IAsyncEnumerable<int> NumbersCore(int count)
            {
                for (var i = 0; i < count; i++) { await Task.Yield(); yield return i; }
            }
        }
        """;

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(Source).Load());

    public static dynamic NewModels() => Activator.CreateInstance(s_assembly.Value.GetType("Llm.Models")!)!;
}
