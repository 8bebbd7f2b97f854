namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// The values MLflow accepts for <see cref="MlflowAttributes.SpanType"/> (<c>mlflow.spanType</c>), sent bare,
/// never JSON-quoted, so MLflow's span search (<c>span.type = 'LLM'</c>) finds them.
/// Source: MLflow <c>mlflow/entities/span.py</c> <c>SpanType</c>.
/// </summary>
public static class MlflowSpanTypes
{
    /// <summary>An agent run: <c>AGENT</c>.</summary>
    public const string Agent = "AGENT";

    /// <summary>A call to a language model: <c>LLM</c>.</summary>
    public const string Llm = "LLM";

    /// <summary>A call to a chat model: <c>CHAT_MODEL</c>.</summary>
    public const string ChatModel = "CHAT_MODEL";

    /// <summary>A tool execution: <c>TOOL</c>.</summary>
    public const string Tool = "TOOL";

    /// <summary>A step that groups others, for example one attempt of a retried turn: <c>CHAIN</c>.</summary>
    public const string Chain = "CHAIN";

    /// <summary>A document retrieval: <c>RETRIEVER</c>.</summary>
    public const string Retriever = "RETRIEVER";

    /// <summary>An embedding call: <c>EMBEDDING</c>.</summary>
    public const string Embedding = "EMBEDDING";

    /// <summary>A re-ranking step: <c>RERANKER</c>.</summary>
    public const string Reranker = "RERANKER";

    /// <summary>A parsing step: <c>PARSER</c>.</summary>
    public const string Parser = "PARSER";

    /// <summary>A memory read or write: <c>MEMORY</c>.</summary>
    public const string Memory = "MEMORY";

    /// <summary>Anything else: <c>UNKNOWN</c>.</summary>
    public const string Unknown = "UNKNOWN";
}
