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

    /// <summary>Whether each call starts a <c>model-call</c> span (off: the model is invisible to tracing).</summary>
    public bool StartsSpans { get; init; } = true;

    /// <summary>A service-side conversation id to answer with (a model that keeps the history itself), or none.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The messages and options of every call, in order.</summary>
    public List<(List<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = new();

    public static ChatResponse Text(string text, int input = 10, int output = 5, int? cachedInput = null) =>
        new(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "scripted-1",
            Usage = Usage(input, output, cachedInput),
            FinishReason = ChatFinishReason.Stop,
        };

    public static ChatResponse ToolCalls(int input, int output, params (string CallId, string Name, IDictionary<string, object?> Arguments)[] calls) =>
        new(new ChatMessage(ChatRole.Assistant, calls.Select(c => (AIContent)new FunctionCallContent(c.CallId, c.Name, c.Arguments)).ToList()))
        {
            ModelId = "scripted-1",
            Usage = Usage(input, output, null),
            FinishReason = ChatFinishReason.ToolCalls,
        };

    private static UsageDetails Usage(int input, int output, int? cachedInput) =>
        new() { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output, CachedInputTokenCount = cachedInput };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Add((messages.ToList(), options));
        using var span = StartsSpans ? LiveSpan.Start("model-call", MlflowSpanTypes.Chain) : default;
        if (_script.Count == 0)
        {
            throw new InvalidOperationException("The script has no more responses.");
        }

        var response = _script.Dequeue();
        response.ConversationId ??= ConversationId;
        return Task.FromResult(response);
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
