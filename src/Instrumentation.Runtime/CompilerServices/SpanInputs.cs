using System.ComponentModel;
using System;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime.CompilerServices;

/// <summary>
/// Builds a span's inputs, the JSON object <c>{"parameter": value, ...}</c> recorded as <c>mlflow.spanInputs</c>
/// (the shape MLflow's own <c>@mlflow.trace</c> records). Get one from <see cref="WrapperSpans.BeginInputs(Spans.LiveSpan)"/>,
/// add each parameter, and hand it back with <see cref="WrapperSpans.SetInputs(Spans.LiveSpan, SpanInputs?)"/>. Every method is fail-open.
/// </summary>
/// <remarks>Exists for the code the Instrumentation generator emits into your assembly; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SpanInputs
{
    [ThreadStatic]
    private static SpanInputs? t_cached;

    private JsonBuffer? _buffer;
    private CaptureSettings _settings = null!;

    private SpanInputs()
    {
    }

    /// <summary>Records a parameter's value, redacted (<see cref="AgentTelemetryOptions.Redaction"/>): under a
    /// secret-like name, a value that is not a number or boolean becomes <c>[REDACTED]</c>. Values larger than the size
    /// cap are cut with a marker; values that cannot be serialized become a placeholder naming their type.</summary>
    /// <param name="name">The parameter's name, as the JSON property name.</param>
    /// <param name="value">The argument.</param>
    public void Add<T>(string name, T value)
    {
        if (_buffer is not { } buffer)
        {
            return;
        }

        try
        {
            if (!IsCountOrFlag<T>() && _settings.Redactor is { } redactor && redactor.IsSecretName(name))
            {
                buffer.Writer.WriteString(name, SpanJson.RedactedMarker);
                return;
            }

            buffer.Writer.WritePropertyName(name);
            SpanJson.WriteValue(buffer.Writer, value, _settings);
        }
        catch (Exception ex)
        {
            Abandon("recording parameter " + name, ex);
        }
    }

    /// <summary>Records a parameter under its name with the value replaced by <c>[REDACTED]</c> (a <c>[Redact]</c> parameter).</summary>
    public void AddRedacted(string name) => AddString(name, SpanJson.RedactedMarker);

    /// <summary>Records a parameter whose name the generator found secret-like: redacted unless
    /// <see cref="RedactionOptions.Enabled"/> is turned off.</summary>
    public void AddSecretLike<T>(string name, T value)
    {
        if (_settings.Redactor is not null)
        {
            AddRedacted(name);
        }
        else
        {
            Add(name, value);
        }
    }

    /// <summary>Records a parameter whose value is deliberately not serialized (a <c>Span&lt;T&gt;</c>, a pointer) as
    /// the placeholder <c>&lt;TypeName&gt;</c>.</summary>
    public void AddPlaceholder(string name, string typeName) => AddString(name, SpanJson.TypePlaceholder(typeName));

    internal static SpanInputs Rent(CaptureSettings settings)
    {
        var inputs = t_cached ?? new SpanInputs();
        t_cached = null;
        inputs._settings = settings;
        inputs._buffer = JsonBuffer.Rent();
        inputs._buffer.Writer.WriteStartObject();
        return inputs;
    }

    /// <summary>Closes the object and returns its JSON text, or <see langword="null"/> when recording failed; then
    /// goes back to the cache.</summary>
    internal string? Complete()
    {
        var buffer = _buffer;
        _buffer = null;
        string? json = null;
        if (buffer is not null)
        {
            try
            {
                buffer.Writer.WriteEndObject();
                json = buffer.ToUtf8String();
            }
            catch (Exception ex)
            {
                FailOpen.Report("completing span inputs", ex);
            }

            buffer.Return();
        }

        t_cached = this;
        return json;
    }

    // Numbers and booleans under a secret-like name (maxTokens is not one; tokenCount is) are counts and flags, not
    // secrets. The checks fold away in each instantiation.
    private static bool IsCountOrFlag<T>() =>
        typeof(T) == typeof(int) || typeof(T) == typeof(long) || typeof(T) == typeof(bool) || typeof(T) == typeof(double)
        || typeof(T) == typeof(float) || typeof(T) == typeof(decimal) || typeof(T) == typeof(short) || typeof(T) == typeof(byte)
        || typeof(T) == typeof(uint) || typeof(T) == typeof(ulong) || typeof(T) == typeof(int?) || typeof(T) == typeof(long?)
        || typeof(T) == typeof(bool?) || typeof(T) == typeof(double?);

    private void AddString(string name, string value)
    {
        if (_buffer is not { } buffer)
        {
            return;
        }

        try
        {
            buffer.Writer.WriteString(name, value);
        }
        catch (Exception ex)
        {
            Abandon("recording parameter " + name, ex);
        }
    }

    private void Abandon(string operation, Exception exception)
    {
        // The writer may hold half a property: drop the whole object rather than record broken JSON.
        FailOpen.Report(operation, exception);
        _buffer?.Return();
        _buffer = null;
    }
}
