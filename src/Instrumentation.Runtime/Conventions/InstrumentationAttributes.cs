namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// Attributes this library defines where neither MLflow nor the GenAI conventions have a key, under the
/// <c>instrumentation.</c> prefix.
/// </summary>
public static class InstrumentationAttributes
{
    /// <summary><c>instrumentation.llm.time_to_first_chunk_ms</c>: milliseconds from the start of a streaming model call to
    /// its first chunk (the GenAI convention's <c>gen_ai.response.time_to_first_chunk</c> carries the same in seconds).</summary>
    public const string TimeToFirstChunkMs = "instrumentation.llm.time_to_first_chunk_ms";

    /// <summary><c>instrumentation.incomplete</c>: <see langword="true"/> on a span closed without its end having been
    /// observed (a replayed turn that never finished); <c>instrumentation.incomplete_reason</c> says why.</summary>
    public const string Incomplete = "instrumentation.incomplete";

    /// <summary><c>instrumentation.incomplete_reason</c>: why a span is <see cref="Incomplete"/>.</summary>
    public const string IncompleteReason = "instrumentation.incomplete_reason";

    /// <summary><c>instrumentation.llm.logical_call_id</c>: the logical request an LLM call is an attempt of (see
    /// <c>LlmRetryScope</c>).</summary>
    public const string LogicalCallId = "instrumentation.llm.logical_call_id";

    /// <summary><c>instrumentation.llm.attempt</c>: the attempt number of an LLM call within its logical request, from 1.</summary>
    public const string Attempt = "instrumentation.llm.attempt";

    /// <summary><c>instrumentation.stream.outcome</c>: how a streamed result ended: <c>completed</c>, <c>abandoned</c>
    /// (the consumer stopped early) or <c>failed</c>.</summary>
    public const string StreamOutcome = "instrumentation.stream.outcome";

    /// <summary><c>instrumentation.stream.chunks</c>: how many items a streamed result yielded.</summary>
    public const string StreamChunks = "instrumentation.stream.chunks";

    /// <summary>The name of the span event added when a streaming model call's first chunk arrives: <c>gen_ai.first_chunk</c>.</summary>
    public const string FirstChunkEvent = "gen_ai.first_chunk";
}
