using System;

namespace Instrumentation;

/// <summary>
/// The members every instrumentation attribute shares. Put one of <see cref="AgentSpanAttribute"/>,
/// <see cref="LlmCallAttribute"/> or <see cref="ToolAttribute"/> on a <c>partial</c> method declaration
/// (no body); the source generator writes its implementation, which opens a span, calls the body method
/// and closes the span.
/// </summary>
public abstract class InstrumentedMethodAttribute : Attribute
{
    private protected InstrumentedMethodAttribute()
    {
    }

    /// <summary>
    /// The span name shown in MLflow's trace view. Default: the method's name.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// The name of the method that holds the real body, in the same type, with the same parameters,
    /// return type, static-ness and type parameters. Default: the method's name followed by <c>Core</c>
    /// (for <c>RunAsync</c>, <c>RunAsyncCore</c>). Use <c>nameof(...)</c>.
    /// </summary>
    public string? Implementation { get; set; }
}
