namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// OpenTelemetry GenAI semantic-convention attribute keys, emitted beside the MLflow keys so the same spans read
/// well in any OTLP backend. Source: OpenTelemetry semantic conventions, <c>gen-ai-spans.md</c> and
/// <c>gen-ai-agent-spans.md</c>.
/// </summary>
public static class GenAiAttributes
{
    /// <summary><c>gen_ai.operation.name</c>: <see cref="Operations"/>.</summary>
    public const string OperationName = "gen_ai.operation.name";

    /// <summary><c>gen_ai.provider.name</c>.</summary>
    public const string ProviderName = "gen_ai.provider.name";

    /// <summary><c>gen_ai.request.model</c>.</summary>
    public const string RequestModel = "gen_ai.request.model";

    /// <summary><c>gen_ai.response.model</c>.</summary>
    public const string ResponseModel = "gen_ai.response.model";

    /// <summary><c>gen_ai.response.id</c>.</summary>
    public const string ResponseId = "gen_ai.response.id";

    /// <summary><c>gen_ai.response.finish_reasons</c>: a string array.</summary>
    public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";

    /// <summary><c>gen_ai.response.time_to_first_chunk</c>: seconds from the request to the first chunk of a streaming response.</summary>
    public const string ResponseTimeToFirstChunk = "gen_ai.response.time_to_first_chunk";

    /// <summary><c>gen_ai.usage.input_tokens</c>: every prompt token, cached ones included.</summary>
    public const string UsageInputTokens = "gen_ai.usage.input_tokens";

    /// <summary><c>gen_ai.usage.output_tokens</c>.</summary>
    public const string UsageOutputTokens = "gen_ai.usage.output_tokens";

    /// <summary><c>gen_ai.usage.cache_read.input_tokens</c>: prompt tokens served from the provider's cache.</summary>
    public const string UsageCacheReadInputTokens = "gen_ai.usage.cache_read.input_tokens";

    /// <summary><c>gen_ai.usage.cache_creation.input_tokens</c>: prompt tokens written to the provider's cache.</summary>
    public const string UsageCacheCreationInputTokens = "gen_ai.usage.cache_creation.input_tokens";

    /// <summary><c>gen_ai.usage.reasoning.output_tokens</c>: output tokens spent on reasoning.</summary>
    public const string UsageReasoningOutputTokens = "gen_ai.usage.reasoning.output_tokens";

    /// <summary><c>gen_ai.tool.name</c>.</summary>
    public const string ToolName = "gen_ai.tool.name";

    /// <summary><c>gen_ai.tool.call.id</c>.</summary>
    public const string ToolCallId = "gen_ai.tool.call.id";

    /// <summary><c>gen_ai.tool.type</c>: <c>function</c> for a method.</summary>
    public const string ToolType = "gen_ai.tool.type";

    /// <summary><c>gen_ai.tool.description</c>.</summary>
    public const string ToolDescription = "gen_ai.tool.description";

    /// <summary><c>gen_ai.agent.name</c>.</summary>
    public const string AgentName = "gen_ai.agent.name";

    /// <summary><c>gen_ai.agent.id</c>.</summary>
    public const string AgentId = "gen_ai.agent.id";

    /// <summary><c>gen_ai.agent.description</c>: the agent's free-text description.</summary>
    public const string AgentDescription = "gen_ai.agent.description";

    /// <summary><c>gen_ai.conversation.id</c>: the session or thread the operation belongs to.</summary>
    public const string ConversationId = "gen_ai.conversation.id";

    /// <summary>The values of <see cref="OperationName"/>.</summary>
    public static class Operations
    {
        /// <summary><c>chat</c>.</summary>
        public const string Chat = "chat";

        /// <summary><c>text_completion</c>.</summary>
        public const string TextCompletion = "text_completion";

        /// <summary><c>embeddings</c>.</summary>
        public const string Embeddings = "embeddings";

        /// <summary><c>execute_tool</c>.</summary>
        public const string ExecuteTool = "execute_tool";

        /// <summary><c>invoke_agent</c>.</summary>
        public const string InvokeAgent = "invoke_agent";
    }
}
