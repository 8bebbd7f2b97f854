using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing.FakeMlflow.Otlp;

namespace Instrumentation.Testing.FakeMlflow;

/// <summary>The span status as sent over OTLP.</summary>
public enum ReceivedStatus
{
    /// <summary><c>STATUS_CODE_UNSET</c>.</summary>
    Unset = 0,

    /// <summary><c>STATUS_CODE_OK</c>.</summary>
    Ok = 1,

    /// <summary><c>STATUS_CODE_ERROR</c>.</summary>
    Error = 2,
}

/// <summary>An event of a <see cref="ReceivedSpan"/> (for example <c>exception</c>).</summary>
/// <param name="Name">The event name.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Attributes">Its attributes (see <see cref="ReceivedSpan.Attributes"/> for the value types).</param>
public sealed record ReceivedEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, object?> Attributes);

/// <summary>
/// A span the fake MLflow server accepted, decoded from OTLP/protobuf, with the headers that came with it.
/// </summary>
public sealed class ReceivedSpan
{
    internal ReceivedSpan(Span span, string experimentId, string? runId, IReadOnlyDictionary<string, object?> resource, string scopeName, string scopeVersion)
    {
        ExperimentId = experimentId;
        RunId = runId;
        ResourceAttributes = resource;
        ScopeName = scopeName;
        ScopeVersion = scopeVersion;
        TraceId = Convert.ToHexString(span.TraceId.ToByteArray()).ToLowerInvariant();
        SpanId = Convert.ToHexString(span.SpanId.ToByteArray()).ToLowerInvariant();
        ParentSpanId = span.ParentSpanId.IsEmpty ? null : Convert.ToHexString(span.ParentSpanId.ToByteArray()).ToLowerInvariant();
        Name = span.Name;
        Kind = span.Kind;
        StartTimeUnixNano = span.StartTimeUnixNano;
        EndTimeUnixNano = span.EndTimeUnixNano;
        Attributes = OtlpValues.ToDictionary(span.Attributes);
        Events = span.Events
            .Select(e => new ReceivedEvent(e.Name, OtlpValues.FromUnixNanos(e.TimeUnixNano), OtlpValues.ToDictionary(e.Attributes)))
            .ToList();
        Status = (ReceivedStatus)(int)(span.Status?.Code ?? Otlp.Status.Types.StatusCode.Unset);
        StatusMessage = span.Status?.Message ?? string.Empty;
    }

    /// <summary>The <c>x-mlflow-experiment-id</c> header the span was sent with.</summary>
    public string ExperimentId { get; }

    /// <summary>The <c>x-mlflow-run-id</c> header the span was sent with, if any.</summary>
    public string? RunId { get; }

    /// <summary>The OTLP trace id: 32 lowercase hex digits.</summary>
    public string TraceId { get; }

    /// <summary>The trace id MLflow shows: <c>tr-</c> and the 32 hex digits of the OTLP trace id.</summary>
    public string MlflowTraceId => "tr-" + TraceId;

    /// <summary>The span id: 16 lowercase hex digits.</summary>
    public string SpanId { get; }

    /// <summary>The parent's span id, or <see langword="null"/> for a root span.</summary>
    public string? ParentSpanId { get; }

    /// <summary>Whether the span has no parent: the span MLflow takes the trace's name, status and previews from.</summary>
    public bool IsRoot => ParentSpanId is null;

    /// <summary>The span name.</summary>
    public string Name { get; }

    /// <summary>The OTLP span kind.</summary>
    public Span.Types.SpanKind Kind { get; }

    /// <summary>Start, in nanoseconds since the Unix epoch.</summary>
    public ulong StartTimeUnixNano { get; }

    /// <summary>End, in nanoseconds since the Unix epoch.</summary>
    public ulong EndTimeUnixNano { get; }

    /// <summary>When the span started.</summary>
    public DateTimeOffset StartTime => OtlpValues.FromUnixNanos(StartTimeUnixNano);

    /// <summary>How long the span ran.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks((long)((EndTimeUnixNano - Math.Min(StartTimeUnixNano, EndTimeUnixNano)) / 100));

    /// <summary>
    /// The attributes: <see cref="string"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/>,
    /// <see cref="byte"/>[], a list for an array value, a dictionary for a key-value list.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Attributes { get; }

    /// <summary>The span events, in order.</summary>
    public IReadOnlyList<ReceivedEvent> Events { get; }

    /// <summary>The status code.</summary>
    public ReceivedStatus Status { get; }

    /// <summary>The status message (empty when none).</summary>
    public string StatusMessage { get; }

    /// <summary>The resource attributes of the batch (for example <c>service.name</c>).</summary>
    public IReadOnlyDictionary<string, object?> ResourceAttributes { get; }

    /// <summary>The instrumentation scope (the <c>ActivitySource</c> name).</summary>
    public string ScopeName { get; }

    /// <summary>The instrumentation scope version.</summary>
    public string ScopeVersion { get; }

    /// <summary>The <c>mlflow.spanType</c> attribute exactly as sent (bare, for example <c>LLM</c>), or <see langword="null"/>.</summary>
    public string? SpanType => Attribute(MlflowAttributes.SpanType);

    /// <summary>The attribute as text (numbers and booleans formatted invariantly), or <see langword="null"/> when absent.</summary>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? OtlpValues.AsText(value) : null;

    /// <inheritdoc/>
    public override string ToString() => $"{SpanType ?? Kind.ToString()} {Name} ({SpanId}, parent {ParentSpanId ?? "none"}, {Status})";
}

internal static class OtlpValues
{
    public static IReadOnlyDictionary<string, object?> ToDictionary(IEnumerable<KeyValue> pairs)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            result[pair.Key] = ToObject(pair.Value);
        }

        return result;
    }

    public static object? ToObject(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue,
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue,
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToByteArray(),
        AnyValue.ValueOneofCase.ArrayValue => value.ArrayValue.Values.Select(ToObject).ToList(),
        AnyValue.ValueOneofCase.KvlistValue => ToDictionary(value.KvlistValue.Values),
        _ => null,
    };

    public static string? AsText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<object?> list => "[" + string.Join(",", list.Select(AsText)) + "]",
        _ => value.ToString(),
    };

    public static DateTimeOffset FromUnixNanos(ulong nanos) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanos / 100));
}
