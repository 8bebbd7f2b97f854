using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Llm;

/// <summary>
/// Implement on your own response type to have <c>[LlmCall]</c> methods that return it record token usage, the model
/// and the answer. The generator recognises the known SDK types (Microsoft.Extensions.AI <c>ChatResponse</c>, OpenAI
/// <c>ChatCompletion</c>, Anthropic <c>Message</c>) without it; for any other return type it reports diagnostic AIT009
/// unless the type implements this interface.
/// </summary>
/// <example>
/// <code>
/// public sealed record MyReply(string Text, int PromptTokens, int CompletionTokens) : ILlmResponse
/// {
///     public TokenUsage Usage =&gt; new() { InputTokens = PromptTokens, OutputTokens = CompletionTokens };
///     public string? Model =&gt; "my-model";
///     public string? ResponseId =&gt; null;
///     public string? FinishReason =&gt; "stop";
///     public RecordedChatMessage? OutputMessage =&gt; new("assistant", Text);
/// }
/// </code>
/// </example>
public interface ILlmResponse
{
    /// <summary>Tokens the call used, in the unit rule of <see cref="TokenUsage"/> (input includes cached tokens).</summary>
    TokenUsage Usage { get; }

    /// <summary>The model that answered, or <see langword="null"/>.</summary>
    string? Model { get; }

    /// <summary>The provider's response id, or <see langword="null"/>.</summary>
    string? ResponseId { get; }

    /// <summary>Why the model stopped (<c>stop</c>, <c>tool_calls</c>, <c>length</c>, ...), or <see langword="null"/>.</summary>
    string? FinishReason { get; }

    /// <summary>The answer as a chat message, recorded as MLflow's chat output; <see langword="null"/> records the whole
    /// response object instead.</summary>
    RecordedChatMessage? OutputMessage => null;
}
