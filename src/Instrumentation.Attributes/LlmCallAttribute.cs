using System;

namespace Instrumentation;

/// <summary>
/// Traces the method as one call to a language model: an MLflow span of type <c>LLM</c>
/// (<c>gen_ai.operation.name</c> = <c>chat</c>) that records the request, the response, the model and,
/// where the return type exposes it, the token usage.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class LlmCallAttribute : InstrumentedMethodAttribute
{
    /// <summary>
    /// The requested model (for example <c>gpt-4o-mini</c>), recorded as <c>gen_ai.request.model</c> and,
    /// unless the response names the model it used, <c>mlflow.llm.model</c>.
    /// </summary>
    public string? Model { get; set; }

    /// <summary>
    /// The model provider (for example <c>openai</c>, <c>anthropic</c>), recorded as <c>mlflow.llm.provider</c>
    /// and <c>gen_ai.provider.name</c>. Use the GenAI semantic-convention values where one exists.
    /// </summary>
    public string? Provider { get; set; }
}
