using System;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// The value of an <c>exception</c> event's <c>exception.stacktrace</c> attribute: the exception's
/// <see cref="Exception.ToString"/> (type, message, stack trace with file and line, inner exceptions), formatted when an
/// exporter first reads it rather than when the span records the failure.
/// </summary>
/// <remarks>
/// Formatting is most of what recording a failure costs: resolving each frame's file and line reads the portable PDB,
/// tens to hundreds of microseconds for a tool call that threw through a function-calling loop (docs/benchmarks.md,
/// §7). Exporters write attribute values they do not know as <c>Convert.ToString</c> (OTLP among them), on their own
/// thread when the processor batches, as the MLflow exporter's does; the text is then computed once and kept. The
/// exception is read as it is at that moment: a <c>throw;</c> further up only appends frames.
/// </remarks>
internal sealed class ExceptionText
{
    private readonly Exception _exception;
    private string? _text;

    public ExceptionText(Exception exception) => _exception = exception;

    public override string ToString() => _text ??= Format(_exception);

    private static string Format(Exception exception)
    {
        try
        {
            return exception.ToString();
        }
        catch (Exception ex)
        {
            // An exception type whose ToString throws still leaves its type and message behind.
            return exception.GetType().FullName + ": " + exception.Message + " (its ToString() threw " + ex.GetType().FullName + ")";
        }
    }
}
