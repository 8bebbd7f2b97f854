using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Instrumentation.Mlflow;

/// <summary>
/// A finished span as <see cref="TraceTreeFormatter"/> needs it: ids, name, timing, status and attributes. Make one
/// from an <see cref="Activity"/> with <see cref="FromActivity"/>, or build one directly (tests, replayed records).
/// </summary>
public sealed class TraceTreeSpan
{
    private static readonly IReadOnlyList<KeyValuePair<string, object?>> s_noAttributes = Array.Empty<KeyValuePair<string, object?>>();

    /// <summary>Creates a span.</summary>
    /// <param name="traceId">The trace it belongs to.</param>
    /// <param name="spanId">Its own id.</param>
    /// <param name="parentSpanId">Its parent's id; <see langword="default"/> for a root span.</param>
    /// <param name="name">The span name.</param>
    /// <param name="startTimeUtc">When it started (UTC).</param>
    /// <param name="duration">How long it ran.</param>
    public TraceTreeSpan(ActivityTraceId traceId, ActivitySpanId spanId, ActivitySpanId parentSpanId, string name, DateTime startTimeUtc, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(name);
        TraceId = traceId;
        SpanId = spanId;
        ParentSpanId = parentSpanId;
        Name = name;
        StartTimeUtc = startTimeUtc;
        Duration = duration;
    }

    /// <summary>The trace the span belongs to.</summary>
    public ActivityTraceId TraceId { get; }

    /// <summary>The span's id.</summary>
    public ActivitySpanId SpanId { get; }

    /// <summary>The parent span's id, <see langword="default"/> for a root.</summary>
    public ActivitySpanId ParentSpanId { get; }

    /// <summary>Whether the parent is in another process (a propagated context): the span is then the root of what this
    /// process sees of the trace.</summary>
    public bool HasRemoteParent { get; init; }

    /// <summary>The span name.</summary>
    public string Name { get; }

    /// <summary>The OpenTelemetry span kind, shown when the span has no <c>mlflow.spanType</c>.</summary>
    public ActivityKind Kind { get; init; } = ActivityKind.Internal;

    /// <summary>When the span started (UTC).</summary>
    public DateTime StartTimeUtc { get; }

    /// <summary>How long the span ran.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The span status.</summary>
    public ActivityStatusCode Status { get; init; }

    /// <summary>The status description (the error message of an Error status).</summary>
    public string? StatusDescription { get; init; }

    /// <summary>The span's attributes, in the order they were set.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Attributes { get; init; } = s_noAttributes;

    /// <summary>Whether this span starts a tree: it has no parent, or its parent is remote.</summary>
    public bool IsRoot => ParentSpanId == default || HasRemoteParent;

    /// <summary>The value of the attribute <paramref name="key"/> (the last one, if set twice), or <see langword="null"/>.</summary>
    public object? GetAttribute(string key)
    {
        object? value = null;
        foreach (var pair in Attributes)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
            }
        }

        return value;
    }

    /// <summary>A snapshot of a stopped <paramref name="activity"/>.</summary>
    public static TraceTreeSpan FromActivity(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var attributes = new List<KeyValuePair<string, object?>>();
        foreach (var tag in activity.TagObjects)
        {
            attributes.Add(tag);
        }

        return new TraceTreeSpan(activity.TraceId, activity.SpanId, activity.ParentSpanId, activity.DisplayName, activity.StartTimeUtc, activity.Duration)
        {
            HasRemoteParent = activity.HasRemoteParent,
            Kind = activity.Kind,
            Status = activity.Status,
            StatusDescription = activity.StatusDescription,
            Attributes = attributes,
        };
    }
}
