using System;
using Instrumentation.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Instrumentation;

/// <summary>
/// <c>UseMlflowTracing()</c> for files that import <c>Instrumentation</c> but not <c>Microsoft.Extensions.AI</c>, and the
/// overload that names the provider.
/// </summary>
public static class ChatClientBuilderTracingExtensions
{
    /// <summary>
    /// Records each model call made through this point of the pipeline as an MLflow <c>LLM</c> span, and each function a
    /// <see cref="FunctionInvokingChatClient"/> invokes as a <c>TOOL</c> span (docs/extensions-ai.md). The same as
    /// <see cref="MlflowTracingChatClientBuilderExtensions.UseMlflowTracing(ChatClientBuilder)"/>, with the provider
    /// name for a client that does not report one.
    /// </summary>
    /// <remarks>Place it after <c>UseFunctionInvocation()</c>. Telemetry never changes what the client returns or
    /// throws.</remarks>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="providerName">The provider recorded as <c>mlflow.llm.provider</c> and <c>gen_ai.provider.name</c>
    /// (a GenAI semantic-convention value such as <c>openai</c>, <c>azure.ai.openai</c>, <c>ollama</c>) when the client's
    /// <see cref="ChatClientMetadata.ProviderName"/> is not set. Default: only the metadata's.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseMlflowTracing(this ChatClientBuilder builder, string? providerName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new MlflowTracingChatClient(inner, providerName));
    }
}
