using System;

namespace Instrumentation.Generator.Model;

/// <summary>The model SDKs whose types the generator reads at compile time, by metadata name.</summary>
internal enum LlmSdk
{
    None,
    MicrosoftExtensionsAI,
    OpenAI,
    Anthropic,
}

/// <summary>What the (awaited) result of an <c>[LlmCall]</c> method is, and so how usage, model and answer are read.</summary>
internal enum ResponseKind
{
    /// <summary>No known shape: the result is recorded as plain JSON output, with no usage (diagnostic AIT009).</summary>
    Generic,

    /// <summary>Microsoft.Extensions.AI <c>ChatResponse</c>.</summary>
    MicrosoftExtensionsAI,

    /// <summary>OpenAI <c>ChatCompletion</c>.</summary>
    OpenAI,

    /// <summary>System.ClientModel <c>ClientResult&lt;ChatCompletion&gt;</c> (the OpenAI SDK's method results).</summary>
    OpenAIClientResult,

    /// <summary>Anthropic <c>Message</c>.</summary>
    Anthropic,

    /// <summary>A user type implementing <c>Instrumentation.Runtime.Llm.ILlmResponse</c>.</summary>
    Custom,
}

/// <summary>The items of a streamed (<c>IAsyncEnumerable&lt;T&gt;</c>) result.</summary>
internal enum StreamKind
{
    /// <summary>Any other item: recorded as a JSON array.</summary>
    Items,

    /// <summary><c>string</c>: the answer's text, chunk by chunk.</summary>
    Text,

    /// <summary>Microsoft.Extensions.AI <c>ChatResponseUpdate</c>.</summary>
    MicrosoftExtensionsAI,

    /// <summary>OpenAI <c>StreamingChatCompletionUpdate</c>.</summary>
    OpenAI,
}

/// <summary>Where an <c>[LlmCall]</c> method's conversation comes from, for MLflow's chat inputs.</summary>
internal enum RequestKind
{
    /// <summary>No conversation parameter: inputs are the usual parameter object.</summary>
    None,

    /// <summary>One string parameter: a one-message user conversation.</summary>
    Prompt,

    /// <summary>A sequence of Microsoft.Extensions.AI <c>ChatMessage</c>.</summary>
    MicrosoftExtensionsAI,

    /// <summary>A sequence of OpenAI <c>ChatMessage</c>.</summary>
    OpenAI,

    /// <summary>An Anthropic <c>MessageCreateParams</c> (system prompt, messages, model and tools in one).</summary>
    Anthropic,
}

/// <summary>What the generator knows about an <c>[LlmCall]</c> method beyond its shape.</summary>
/// <param name="Response">The result's kind (for a non-streaming method).</param>
/// <param name="Stream">The items' kind (for a streaming method).</param>
/// <param name="Request">Where the conversation comes from.</param>
/// <param name="RequestParameter">The parameter holding it.</param>
/// <param name="ToolsParameter">The parameter holding the tool definitions (<c>ChatOptions</c>, <c>ChatCompletionOptions</c>), if any.</param>
internal sealed record LlmModel(
    ResponseKind Response,
    StreamKind Stream,
    RequestKind Request,
    string? RequestParameter,
    string? ToolsParameter) : IEquatable<LlmModel>
{
    /// <summary>The SDK adapter the wrapper's request recording needs, if any.</summary>
    public LlmSdk RequestSdk => Request switch
    {
        RequestKind.MicrosoftExtensionsAI => LlmSdk.MicrosoftExtensionsAI,
        RequestKind.OpenAI => LlmSdk.OpenAI,
        RequestKind.Anthropic => LlmSdk.Anthropic,
        _ => LlmSdk.None,
    };

    /// <summary>The SDK adapter the wrapper's response recording needs, if any.</summary>
    public LlmSdk ResponseSdk(bool streaming) => streaming
        ? Stream switch
        {
            StreamKind.MicrosoftExtensionsAI => LlmSdk.MicrosoftExtensionsAI,
            StreamKind.OpenAI => LlmSdk.OpenAI,
            _ => LlmSdk.None,
        }
        : Response switch
        {
            ResponseKind.MicrosoftExtensionsAI => LlmSdk.MicrosoftExtensionsAI,
            ResponseKind.OpenAI or ResponseKind.OpenAIClientResult => LlmSdk.OpenAI,
            ResponseKind.Anthropic => LlmSdk.Anthropic,
            _ => LlmSdk.None,
        };
}
