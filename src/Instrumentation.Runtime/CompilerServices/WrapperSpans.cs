using System.ComponentModel;
using Instrumentation.Runtime.Llm;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.Runtime.CompilerServices;

/// <summary>
/// The span operations only a generated wrapper needs: the fast-path check of an <c>[LlmCall]</c>, the inputs builder,
/// moving a span off and back onto <see cref="System.Diagnostics.Activity.Current"/> around a pending task or a stream
/// step, the policy decision, and the placeholder for a ref-like result. Each forwards to the span and, like the span,
/// is fail-open.
/// </summary>
/// <remarks>Exists for the code the Instrumentation generator emits into your assembly; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WrapperSpans
{
    /// <summary>
    /// Whether an <c>[LlmCall]</c> wrapper has anything to do: a listener on <see cref="AgentTelemetry.Source"/>, or an
    /// observer registered with <see cref="LlmCallObservers"/>.
    /// </summary>
    public static bool IsLlmCallEnabled => LlmSpan.IsEnabled;

    /// <summary>
    /// Starts recording inputs: returns a builder for the <c>{"parameter": value}</c> object, or <see langword="null"/>
    /// when the span does not capture content. Pass the builder to <see cref="SetInputs(LiveSpan, SpanInputs?)"/> when done.
    /// </summary>
    public static SpanInputs? BeginInputs(LiveSpan span) => span.BeginInputs();

    /// <inheritdoc cref="BeginInputs(LiveSpan)"/>
    public static SpanInputs? BeginInputs(LlmSpan span) => span.Span.BeginInputs();

    /// <summary>Records the inputs built since <see cref="BeginInputs(LiveSpan)"/> as <c>mlflow.spanInputs</c>.</summary>
    public static void SetInputs(LiveSpan span, SpanInputs? inputs) => span.SetInputs(inputs);

    /// <inheritdoc cref="SetInputs(LiveSpan, SpanInputs?)"/>
    public static void SetInputs(LlmSpan span, SpanInputs? inputs) => span.Span.SetInputs(inputs);

    /// <summary>Records, as <c>mlflow.spanOutputs</c>, the placeholder <c>"&lt;TypeName&gt;"</c> for a result that
    /// cannot be serialized sensibly (a <c>Span&lt;T&gt;</c>).</summary>
    public static void SetOutputPlaceholder(LiveSpan span, string typeName) => span.SetOutputPlaceholder(typeName);

    /// <inheritdoc cref="SetOutputPlaceholder(LiveSpan, string)"/>
    public static void SetOutputPlaceholder(LlmSpan span, string typeName) => span.Span.SetOutputPlaceholder(typeName);

    /// <summary>
    /// Stops the span being <see cref="System.Diagnostics.Activity.Current"/> on this flow while it stays open: a
    /// wrapper calls it after the body returned a task that is still running, so the caller does not continue inside
    /// the span. The span still ends with <see cref="LiveSpan.End"/>.
    /// </summary>
    public static void Detach(LiveSpan span) => span.Detach();

    /// <inheritdoc cref="Detach(LiveSpan)"/>
    public static void Detach(LlmSpan span) => span.Span.Detach();

    /// <summary>
    /// Makes the span <see cref="System.Diagnostics.Activity.Current"/> on this flow again: a streaming wrapper calls it
    /// before each step of the stream it wraps, so spans the body starts while producing an item nest under this one.
    /// </summary>
    public static void MakeCurrent(LiveSpan span) => span.MakeCurrent();

    /// <inheritdoc cref="MakeCurrent(LiveSpan)"/>
    public static void MakeCurrent(LlmSpan span) => span.Span.MakeCurrent();

    /// <summary>
    /// Tells observers the call is about to be sent and asks the policies whether it may be: the <c>before</c> phase.
    /// Returns <see cref="LlmCallDecision.Continue"/> when nothing observes the call.
    /// </summary>
    /// <typeparam name="T">The method's result type; a policy's substitute response of another type is ignored.</typeparam>
    public static LlmCallDecision BeginCall<T>(LlmSpan span) => span.BeginCall<T>();

    /// <summary>
    /// The value the wrapper returns instead of calling the body: the substitute, or, for a blocked call, throws.
    /// </summary>
    /// <exception cref="LlmCallBlockedException">The call was blocked.</exception>
    public static T Resolve<T>(LlmCallDecision decision) => decision.Resolve<T>();
}
