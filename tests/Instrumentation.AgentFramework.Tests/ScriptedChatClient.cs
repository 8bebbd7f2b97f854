using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using Microsoft.Extensions.AI;

namespace Instrumentation.AgentFramework.Tests;

/// <summary>
/// A model that answers from a script, one response per call, and remembers what it was asked. Each call also starts a
/// span of ours (<c>model-call</c>), so tests see where the run's inner spans nest.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<ChatResponse> _script;

    public ScriptedChatClient(params ChatResponse[] script)
    {
        _script = new Queue<ChatResponse>(script);
    }

    /// <summary>The messages and options of every call, in order.</summary>
    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    public static ChatResponse Text(string text, int input = 10, int output = 5) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "scripted-1",
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
            FinishReason = ChatFinishReason.Stop,
        };

    public static ChatResponse ToolCall(string callId, string name, IDictionary<string, object?> arguments, int input = 10, int output = 5) =>
        new(new ChatMessage(ChatRole.Assistant, new List<AIContent> { new FunctionCallContent(callId, name, arguments) }))
        {
            ModelId = "scripted-1",
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
            FinishReason = ChatFinishReason.ToolCalls,
        };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add((messages.ToList(), options));
        using var span = LiveSpan.Start("model-call", MlflowSpanTypes.Chain);
        if (_script.Count == 0)
        {
            throw new InvalidOperationException("The script has no more responses.");
        }

        return Task.FromResult(_script.Dequeue());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            await Task.Yield();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
