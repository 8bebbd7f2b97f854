using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>
/// A model that answers from a script, one response per call, in order, and keeps what it was sent: the conversation
/// and options of each call, so a test can check what the model received. Streams a scripted response as one update
/// per content item (text split into words), the way providers stream.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<ChatResponse> _script;
    private readonly ChatClientMetadata _metadata;

    public ScriptedChatClient(IEnumerable<ChatResponse> script, string provider = "openai", string model = "gpt-4o-mini")
    {
        _script = new Queue<ChatResponse>(script);
        _metadata = new ChatClientMetadata(provider, new Uri("https://api.openai.com/v1"), model);
    }

    /// <summary>What each call was sent: a copy of the messages, and the options.</summary>
    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    /// <summary>Thrown by the next call instead of answering, when set.</summary>
    public Exception? FailNext { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = Next(messages, options);
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = Next(messages, options);
        foreach (var update in Split(response))
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(_metadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private ChatResponse Next(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        Calls.Add((messages.ToList(), options));
        if (FailNext is { } failure)
        {
            FailNext = null;
            throw failure;
        }

        return _script.Count > 0 ? _script.Dequeue() : throw new InvalidOperationException("The script has no more responses.");
    }

    private static IEnumerable<ChatResponseUpdate> Split(ChatResponse response)
    {
        var message = response.Messages.Single();
        foreach (var content in message.Contents)
        {
            if (content is TextContent text)
            {
                var words = text.Text.Split(' ');
                for (var i = 0; i < words.Length; i++)
                {
                    yield return Update(response, new TextContent(i == 0 ? words[i] : " " + words[i]));
                }
            }
            else
            {
                yield return Update(response, content);
            }
        }

        var last = Update(response, new UsageContent(response.Usage ?? new UsageDetails()));
        last.FinishReason = response.FinishReason;
        yield return last;
    }

    private static ChatResponseUpdate Update(ChatResponse response, AIContent content) => new(ChatRole.Assistant, new List<AIContent> { content })
    {
        ResponseId = response.ResponseId,
        ModelId = response.ModelId,
    };
}

/// <summary>The responses of the weather agent's model, in the OpenAI shapes Microsoft.Extensions.AI produces.</summary>
internal static class Script
{
    public static ChatResponse CallTools(string responseId, params (string CallId, string Name, object Arguments)[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, calls.Select(c => (AIContent)new FunctionCallContent(c.CallId, c.Name,
            c.Arguments.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(c.Arguments)))).ToList()))
        {
            ResponseId = responseId,
            ModelId = "gpt-4o-mini-2024-07-18",
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 300, OutputTokenCount = 40, TotalTokenCount = 340, CachedInputTokenCount = 0 },
        };

    public static ChatResponse Answer(string responseId, string text, long input, long cached, long output, long reasoning = 0) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ResponseId = responseId,
            ModelId = "gpt-4o-mini-2024-07-18",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = input,
                OutputTokenCount = output,
                TotalTokenCount = input + output,
                CachedInputTokenCount = cached,
                ReasoningTokenCount = reasoning,
            },
        };
}
