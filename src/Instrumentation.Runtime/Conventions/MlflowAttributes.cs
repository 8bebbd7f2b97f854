namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// The span attribute keys MLflow (3.6 and later) reads from OTLP spans. Source: MLflow
/// <c>mlflow/tracing/constant.py</c> (<c>SpanAttributeKey</c>), verified against a running server
/// (see the project's MLflow contract).
/// </summary>
public static class MlflowAttributes
{
    /// <summary><c>mlflow.spanType</c>: one of <see cref="MlflowSpanTypes"/>, as a bare string.</summary>
    public const string SpanType = "mlflow.spanType";

    /// <summary><c>mlflow.spanInputs</c>: JSON text of an object, <c>{"parameter": value, ...}</c>.</summary>
    public const string SpanInputs = "mlflow.spanInputs";

    /// <summary><c>mlflow.spanOutputs</c>: JSON text of the result.</summary>
    public const string SpanOutputs = "mlflow.spanOutputs";

    /// <summary><c>mlflow.spanFunctionName</c>: the traced method's name.</summary>
    public const string SpanFunctionName = "mlflow.spanFunctionName";

    /// <summary><c>mlflow.message.format</c>: <c>openai</c> when inputs and outputs use the OpenAI chat shapes, which turns on MLflow's chat view.</summary>
    public const string MessageFormat = "mlflow.message.format";

    /// <summary>
    /// <c>mlflow.chat.tokenUsage</c>: JSON object text <c>{"input_tokens":N,"output_tokens":N,"total_tokens":N}</c>,
    /// plus <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c> when known. LLM spans only:
    /// MLflow sums it over every span of a trace.
    /// </summary>
    public const string ChatTokenUsage = "mlflow.chat.tokenUsage";

    /// <summary><c>mlflow.llm.model</c>: the model name, for example <c>gpt-4o-mini</c>.</summary>
    public const string LlmModel = "mlflow.llm.model";

    /// <summary><c>mlflow.llm.provider</c>: the provider name, for example <c>openai</c>.</summary>
    public const string LlmProvider = "mlflow.llm.provider";

    /// <summary><c>mlflow.llm.cost</c>: JSON object text <c>{"input_cost":x,"output_cost":y,"total_cost":z}</c> in USD.</summary>
    public const string LlmCost = "mlflow.llm.cost";

    /// <summary>
    /// <c>mlflow.chat.tools</c>: JSON text of a list of the tool definitions offered to the model, each in the OpenAI
    /// function-tool shape <c>{"type":"function","function":{"name":..,"description":..,"parameters":{..JSON schema..}}}</c>
    /// (as MLflow's <c>set_span_chat_tools</c> writes it; the UI's tool list does not show a flat shape).
    /// </summary>
    public const string ChatTools = "mlflow.chat.tools";

    /// <summary>The value of <see cref="MessageFormat"/> for the OpenAI chat shapes.</summary>
    public const string OpenAiMessageFormat = "openai";
}
