using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>The ended spans of one trace, held until its local root ends.</summary>
internal sealed class PendingTrace
{
    public PendingTrace(ActivityTraceId traceId)
    {
        TraceId = traceId;
    }

    public ActivityTraceId TraceId { get; }

    public List<Activity> Spans { get; } = new();

    /// <summary>The estimated memory of <see cref="Spans"/>, in bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>Whether the local root is among <see cref="Spans"/>: the trace is ready to send.</summary>
    public bool HasRoot { get; set; }
}

/// <summary>
/// The export thread's book of traces (used by that thread only, so without locks): spans waiting for their root,
/// traces ready to send in the order their roots ended, traces recently handled (so a span that ends after its root
/// was sent goes out on its own instead of waiting for a root that will not come again), and traces doomed by a
/// full queue.
/// </summary>
internal sealed class PendingTraces
{
    /// <summary>How long a handled trace id is remembered for late spans.</summary>
    private static readonly long RememberTicks = Stopwatch.Frequency * 300;

    private const int MaxRemembered = 200_000;

    private readonly Dictionary<ActivityTraceId, PendingTrace> _waiting = new();
    private readonly Queue<PendingTrace> _ready = new();
    private readonly HashSet<ActivityTraceId> _handled = new();
    private readonly Queue<(ActivityTraceId Id, long At)> _handledOrder = new();

    /// <summary>Spans held (waiting or ready).</summary>
    public int SpanCount { get; private set; }

    /// <summary>Estimated bytes held (waiting or ready).</summary>
    public long Bytes { get; private set; }

    public int ReadyCount => _ready.Count;

    public int WaitingCount => _waiting.Count;

    /// <summary>Takes one ended span. <paramref name="isRoot"/>: it is its trace's local root.</summary>
    public void Add(Activity span, bool isRoot, long bytes)
    {
        SpanCount++;
        Bytes += bytes;
        if (!_waiting.TryGetValue(span.TraceId, out var trace))
        {
            trace = new PendingTrace(span.TraceId);
            if (!isRoot && _handled.Contains(span.TraceId))
            {
                // A late span of a trace already handled: its root went (or was lost) before; send it alone.
                trace.Spans.Add(span);
                trace.Bytes = bytes;
                _ready.Enqueue(trace);
                return;
            }

            _waiting.Add(span.TraceId, trace);
        }

        trace.Spans.Add(span);
        trace.Bytes += bytes;
        if (isRoot)
        {
            trace.HasRoot = true;
            _waiting.Remove(span.TraceId);
            _ready.Enqueue(trace);
            Remember(span.TraceId);
        }
    }

    /// <summary>Removes the waiting spans of <paramref name="traceId"/> (a doomed trace); returns them, or null.</summary>
    public PendingTrace? RemoveWaiting(ActivityTraceId traceId)
    {
        if (!_waiting.Remove(traceId, out var trace))
        {
            return null;
        }

        Release(trace);
        return trace;
    }

    public bool IsWaiting(ActivityTraceId traceId) => _waiting.ContainsKey(traceId);

    public PendingTrace? PeekReady() => _ready.Count > 0 ? _ready.Peek() : null;

    /// <summary>Takes the oldest ready trace off the book.</summary>
    public PendingTrace DequeueReady()
    {
        var trace = _ready.Dequeue();
        Release(trace);
        return trace;
    }

    /// <summary>Takes every trace still waiting for its root (shutdown).</summary>
    public List<PendingTrace> TakeAllWaiting()
    {
        var all = new List<PendingTrace>(_waiting.Values);
        _waiting.Clear();
        foreach (var trace in all)
        {
            Release(trace);
        }

        return all;
    }

    /// <summary>Forgets handled trace ids older than five minutes.</summary>
    public void Forget(long now)
    {
        while (_handledOrder.Count > 0 && (now - _handledOrder.Peek().At > RememberTicks || _handledOrder.Count > MaxRemembered))
        {
            _handled.Remove(_handledOrder.Dequeue().Id);
        }
    }

    private void Remember(ActivityTraceId traceId)
    {
        if (_handled.Add(traceId))
        {
            _handledOrder.Enqueue((traceId, Stopwatch.GetTimestamp()));
        }
    }

    private void Release(PendingTrace trace)
    {
        SpanCount -= trace.Spans.Count;
        Bytes -= trace.Bytes;
    }
}
