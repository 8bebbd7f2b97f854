using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using OpenTelemetry;

namespace Instrumentation.Mlflow;

/// <summary>
/// Buffers finished spans per trace and prints a trace, through <see cref="TraceTreeFormatter"/>, when its root span
/// ends. Registered with a <see cref="SimpleActivityExportProcessor"/>, which calls <see cref="Export"/> as each span
/// ends, one call at a time. Spans still buffered at a flush or at shutdown are printed as an incomplete tree. Never
/// throws: an output that fails loses the text, not the application.
/// </summary>
internal sealed class TraceTreeExporter : BaseExporter<Activity>
{
    /// <summary>How many printed trace ids are remembered, to label spans that end after their trace was printed.</summary>
    private const int RememberedTraces = 1024;

    private readonly object _lock = new();
    private readonly TraceTreeOptions _options;
    private readonly Dictionary<ActivityTraceId, List<TraceTreeSpan>> _pending = new();
    private readonly LinkedList<ActivityTraceId> _pendingOrder = new();
    private readonly HashSet<ActivityTraceId> _printed = new();
    private readonly Queue<ActivityTraceId> _printedOrder = new();
    private int _bufferedSpans;

    public TraceTreeExporter(TraceTreeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A snapshot: later changes to the caller's options object change nothing, and color is decided once.
        _options = options.Clone();
        _options.UseColor = options.UseColor;
    }

    /// <summary>The number of spans waiting for their trace's root (for tests).</summary>
    internal int BufferedSpanCount
    {
        get
        {
            lock (_lock)
            {
                return _bufferedSpans;
            }
        }
    }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        try
        {
            foreach (var activity in batch)
            {
                Add(TraceTreeSpan.FromActivity(activity));
            }

            return ExportResult.Success;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ExportResult.Failure;
        }
    }

    /// <summary>Takes one finished span; prints its trace when it is the root.</summary>
    internal void Add(TraceTreeSpan span)
    {
        string? text = null;
        string? evicted = null;
        lock (_lock)
        {
            if (!_pending.TryGetValue(span.TraceId, out var spans))
            {
                spans = new List<TraceTreeSpan>();
                _pending.Add(span.TraceId, spans);
                _pendingOrder.AddLast(span.TraceId);
            }

            spans.Add(span);
            _bufferedSpans++;
            if (span.IsRoot)
            {
                text = Take(span.TraceId, TraceTreeFormatter.TraceNote.None);
            }
            else if (_bufferedSpans > _options.MaxBufferedSpans && _pendingOrder.First is { } oldest)
            {
                evicted = Take(oldest.Value, TraceTreeFormatter.TraceNote.BufferFull);
            }

            // Written under the lock, so traces come out whole and in the order they finished.
            Write(evicted);
            Write(text);
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        FlushAll();
        return true;
    }

    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        FlushAll();
        return true;
    }

    private void FlushAll()
    {
        lock (_lock)
        {
            while (_pendingOrder.First is { } oldest)
            {
                Write(Take(oldest.Value, TraceTreeFormatter.TraceNote.None));
            }
        }
    }

    /// <summary>Removes a trace from the buffer and formats it. Call under the lock.</summary>
    private string Take(ActivityTraceId traceId, TraceTreeFormatter.TraceNote note)
    {
        var spans = _pending[traceId];
        _pending.Remove(traceId);
        _pendingOrder.Remove(traceId);
        _bufferedSpans -= spans.Count;

        if (_printed.Contains(traceId))
        {
            note = TraceTreeFormatter.TraceNote.Continuation;
        }
        else
        {
            _printed.Add(traceId);
            _printedOrder.Enqueue(traceId);
            if (_printedOrder.Count > RememberedTraces)
            {
                _printed.Remove(_printedOrder.Dequeue());
            }
        }

        return TraceTreeFormatter.FormatTrace(spans, _options, note);
    }

    private void Write(string? text)
    {
        if (text is null)
        {
            return;
        }

        try
        {
            _options.Output.Write(text);
            _options.Output.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // Fail-open: a closed pipe or a disposed writer loses the tree, never the application's work.
        }
    }
}
