using System;
using Instrumentation.Extensions.AI;

// In Microsoft.Extensions.AI's namespace, as its own Use… extensions are: the file that calls AsBuilder() already
// imports it, so UseMlflowTracing() is found without another using directive.
namespace Microsoft.Extensions.AI;

/// <summary>Adds MLflow tracing to a Microsoft.Extensions.AI chat pipeline.</summary>
public static class MlflowTracingChatClientBuilderExtensions
{
    /// <summary>
    /// Records each model call made through this point of the pipeline as an MLflow <c>LLM</c> span, and each function a
    /// <see cref="FunctionInvokingChatClient"/> invokes as a <c>TOOL</c> span, with the span conventions of
    /// Instrumentation.Agents (docs/extensions-ai.md).
    /// </summary>
    /// <remarks>
    /// Place it after <c>UseFunctionInvocation()</c>, so it sits inside the function-invoking client, next to the model:
    /// <c>model.AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build()</c>. Telemetry never changes what the
    /// client returns or throws.
    /// </remarks>
    /// <param name="builder">The pipeline builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ChatClientBuilder UseMlflowTracing(this ChatClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(static inner => new MlflowTracingChatClient(inner));
    }
}
