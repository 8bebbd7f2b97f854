namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// The MLflow span type of a span that follows the OpenTelemetry GenAI semantic conventions, from its
/// <c>gen_ai.operation.name</c> (<see cref="GenAiAttributes.OperationName"/>). Source: the conventions'
/// <c>gen-ai-spans.md</c> and <c>gen-ai-agent-spans.md</c> operation names; MLflow <c>mlflow/entities/span.py</c> span types.
/// </summary>
public static class GenAiSpanTypes
{
    /// <summary>
    /// <c>chat</c>, <c>text_completion</c> and <c>generate_content</c> → <c>LLM</c>; <c>embeddings</c> →
    /// <c>EMBEDDING</c>; <c>execute_tool</c> → <c>TOOL</c>; <c>invoke_agent</c> and <c>create_agent</c> → <c>AGENT</c>;
    /// anything else, or no operation, → <see langword="null"/>.
    /// </summary>
    /// <param name="operation">The value of <c>gen_ai.operation.name</c>.</param>
    public static string? ForOperation(string? operation) => operation switch
    {
        GenAiAttributes.Operations.Chat or GenAiAttributes.Operations.TextCompletion or "generate_content" => MlflowSpanTypes.Llm,
        GenAiAttributes.Operations.Embeddings => MlflowSpanTypes.Embedding,
        GenAiAttributes.Operations.ExecuteTool => MlflowSpanTypes.Tool,
        GenAiAttributes.Operations.InvokeAgent or "create_agent" => MlflowSpanTypes.Agent,
        _ => null,
    };
}
