using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using OpenTelemetry;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// The MLflow export pipeline's processor: sends each trace as soon as its local root span ends, whole, in batches of
/// what ended together, on one background thread; holds a bounded number of spans and bytes; and counts every span and
/// trace that does not arrive, with the reason.
/// </summary>
/// <remarks>
/// <para>Why not the SDK's <c>BatchActivityExportProcessor</c>: it exports on a 5 s timer (a finished trace took
/// 2.4 s median to show in MLflow, issue 16), drops past 2,048 queued spans without telling the application, and may
/// split a trace so that a child arrives and its root is dropped (MLflow then shows the trace IN_PROGRESS forever).</para>
/// <para>The application thread only does a lock-free enqueue and interlocked counts in <see cref="OnExport"/>, and
/// wakes the export thread when a root ends and the thread sleeps (<see cref="ExportThreadWakeup"/>). Everything else (grouping by trace, byte estimates, batching) runs on the
/// export thread, which owns its <see cref="PendingTraces"/> without locks.</para>
/// </remarks>
internal sealed class TraceExportProcessor : BaseExportProcessor<Activity>
{
    /// <summary>What a span costs beyond its strings (the <see cref="Activity"/> object, tag nodes, the queue slot).</summary>
    internal const int FixedSpanBytes = 512;

    /// <summary>How long shutdown waits for the export thread after abandoning the request in flight.</summary>
    private const int AbandonGraceMilliseconds = 2_000;

    private readonly DeliveryContext _context;
    private readonly MlflowDeliveryOptions _options;
    private readonly ConcurrentQueue<Activity> _ended = new();

    /// <summary>Traces that lost a span to a full queue (with the time they were doomed): their other spans are dropped
    /// too, so MLflow never gets part of a trace.</summary>
    private readonly ConcurrentDictionary<ActivityTraceId, long> _doomed = new();

    /// <summary>Traces doomed since the export thread last looked: it drops the spans they already have waiting.</summary>
    private readonly ConcurrentQueue<ActivityTraceId> _newlyDoomed = new();
    private readonly ExportThreadWakeup _wake;
    private readonly Func<bool> _idle;
    private readonly object _progress = new();
    private readonly Thread _worker;
    private readonly PendingTraces _book = new();
    private Activity[] _batch;
    private long _queuedSpans;
    private volatile bool _bytesFull;
    private volatile bool _stopping;
    private volatile bool _abandoned;
    private int _roomWaiters;
    private long _flushRequested;
    private long _flushCompleted;
    private volatile bool _finished;

    public TraceExportProcessor(BaseExporter<Activity> exporter, DeliveryContext context)
        : base(exporter)
    {
        _context = context;
        _options = context.Options;
        _batch = new Activity[Math.Min(_options.MaxExportBatchSpans, 4096)];
        _wake = new ExportThreadWakeup(_options.ExportLinger);
        _idle = () => _ended.IsEmpty && !_stopping && Volatile.Read(ref _flushRequested) == Volatile.Read(ref _flushCompleted);
        _worker = new Thread(Work) { IsBackground = true, Name = "MLflow trace export" };
        _worker.Start();
    }

    /// <summary>Spans held now (queued, waiting for their root, or being sent).</summary>
    internal long QueuedSpans => Volatile.Read(ref _queuedSpans);

    /// <summary>Called on the thread that ended <paramref name="data"/>: enqueue and, for a root, wake the export thread.</summary>
    protected override void OnExport(Activity data)
    {
        if (!data.Recorded)
        {
            return;
        }

        var counters = _context.Counters;
        counters.SpanEnded();
        var isRoot = IsLocalRoot(data);
        if (isRoot)
        {
            counters.TraceEnded();
        }

        if (_stopping)
        {
            _context.Lost(new DeliveryFailure(MlflowLossReason.ShutdownTimeout, 0, "ended after the exporter shut down"), isRoot ? 1 : 0, 1);
            return;
        }

        if (!_doomed.IsEmpty && _doomed.ContainsKey(data.TraceId))
        {
            // The trace already lost a span to the full queue, and was counted then.
            _context.Lost(QueueFullFailure(), 0, 1);
            return;
        }

        if (!TryReserve() && !WaitForRoom())
        {
            if (_doomed.TryAdd(data.TraceId, Stopwatch.GetTimestamp()))
            {
                _newlyDoomed.Enqueue(data.TraceId);
            }

            _context.Lost(QueueFullFailure(), 1, 1);
            Wake();
            return;
        }

        _ended.Enqueue(data);
        if (isRoot)
        {
            Wake();
        }
    }

    /// <summary>Waits until everything that ended before the call and can be sent (its root ended) was sent or counted
    /// lost. Traces whose root is still open keep waiting; they are not part of the flush.</summary>
    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        var ticket = Interlocked.Increment(ref _flushRequested);
        _wake.SignalNow();
        var watch = Stopwatch.StartNew();
        lock (_progress)
        {
            while (Volatile.Read(ref _flushCompleted) < ticket && !_finished)
            {
                var remaining = timeoutMilliseconds == Timeout.Infinite ? Timeout.Infinite : timeoutMilliseconds - (int)watch.ElapsedMilliseconds;
                if (timeoutMilliseconds != Timeout.Infinite && remaining <= 0)
                {
                    return false;
                }

                Monitor.Wait(_progress, remaining);
            }
        }

        return true;
    }

    /// <summary>
    /// Sends what can still be sent within <paramref name="timeoutMilliseconds"/> (an infinite timeout is capped at the
    /// retry window), then abandons the request in flight; what is left is kept on disk (durable export) or counted
    /// lost, and one warning line is written when anything was lost.
    /// </summary>
    protected override bool OnShutdown(int timeoutMilliseconds)
    {
        var watch = Stopwatch.StartNew();
        var budget = timeoutMilliseconds == Timeout.Infinite ? (int)_options.RetryWindow.TotalMilliseconds : timeoutMilliseconds;
        _stopping = true;
        _wake.SignalNow();
        var clean = _worker.Join(budget);
        if (!clean)
        {
            _abandoned = true;
            _context.Abandon();
            _worker.Join(AbandonGraceMilliseconds);
        }

        var exporterDone = exporter.Shutdown(Math.Max(0, budget - (int)watch.ElapsedMilliseconds));
        _context.WarnOnceIfLost();
        return clean && exporterDone;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _finished)
        {
            _wake.Dispose();
        }
    }

    internal static bool IsLocalRoot(Activity span) => span.ParentSpanId == default || span.HasRemoteParent;

    private static DeliveryFailure QueueFullFailure() => new(MlflowLossReason.QueueFull, 0, "the export queue was full");

    private bool TryReserve()
    {
        var queued = Interlocked.Increment(ref _queuedSpans);
        if (queued <= _options.MaxQueuedSpans && !_bytesFull)
        {
            return true;
        }

        Interlocked.Decrement(ref _queuedSpans);
        return false;
    }

    /// <summary>Waits up to <see cref="MlflowDeliveryOptions.QueueFullWait"/> for the export thread to free room.</summary>
    private bool WaitForRoom()
    {
        var wait = (int)_options.QueueFullWait.TotalMilliseconds;
        if (wait <= 0)
        {
            return false;
        }

        var watch = Stopwatch.StartNew();
        Wake();
        while (true)
        {
            var remaining = wait - (int)watch.ElapsedMilliseconds;
            if (remaining <= 0 || _stopping)
            {
                return false;
            }

            lock (_progress)
            {
                _roomWaiters++;
                try
                {
                    Monitor.Wait(_progress, Math.Min(remaining, 50));
                }
                finally
                {
                    _roomWaiters--;
                }
            }

            if (TryReserve())
            {
                return true;
            }
        }
    }

    /// <summary>Wakes the export thread if it sleeps until signalled (see <see cref="ExportThreadWakeup"/>).</summary>
    private void Wake() => _wake.SignalIfSleeping();

    /// <summary>Kernel wake-ups ending threads asked for; for tests.</summary>
    internal long WakeSignals => _wake.Signals;

    /// <summary>Whether the export thread sleeps until a root's end signals it; for tests.</summary>
    internal bool ExportThreadSleeps => _wake.Sleeping;

    private void Work()
    {
        try
        {
            while (true)
            {
                _wake.Wait(_idle, _options.HousekeepingInterval);
                var flushTarget = Volatile.Read(ref _flushRequested);
                var stopping = _stopping;

                if (Drain())
                {
                    _wake.WorkDone();
                }

                SendReady();

                if (stopping && _ended.IsEmpty)
                {
                    LoseIncomplete();
                    break;
                }

                CompleteFlush(flushTarget);
                Housekeep();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never expected; the counters say what was lost, and the application carries on.
            _context.Lost(new DeliveryFailure(MlflowLossReason.ShutdownTimeout, 0, "the export thread failed: " + ex.Message), _book.ReadyCount + _book.WaitingCount, _book.SpanCount);
        }
        finally
        {
            _finished = true;
            CompleteFlush(long.MaxValue);
        }
    }

    /// <summary>Moves ended spans from the lock-free queue into the book, grouped by trace; true when there were any.</summary>
    private bool Drain()
    {
        var moved = false;
        while (_ended.TryDequeue(out var span))
        {
            moved = true;
            var bytes = EstimateBytes(span);
            if (!_doomed.IsEmpty && _doomed.ContainsKey(span.TraceId))
            {
                var dropped = 1 + (_book.RemoveWaiting(span.TraceId)?.Spans.Count ?? 0);
                _context.Lost(QueueFullFailure(), 0, dropped);
                Release(dropped);
                continue;
            }

            _book.Add(span, IsLocalRoot(span), bytes);
        }

        while (_newlyDoomed.TryDequeue(out var traceId))
        {
            if (_book.RemoveWaiting(traceId) is { } trace)
            {
                _context.Lost(QueueFullFailure(), 0, trace.Spans.Count);
                Release(trace.Spans.Count);
            }
        }

        _bytesFull = _book.Bytes >= _options.MaxQueuedBytes;
        return moved;
    }

    /// <summary>Sends every ready trace, batching whole traces up to <see cref="MlflowDeliveryOptions.MaxExportBatchSpans"/>
    /// spans, taking in what ended meanwhile between batches.</summary>
    private void SendReady()
    {
        var max = _options.MaxExportBatchSpans;
        while (_book.PeekReady() is not null)
        {
            var count = 0;
            var traces = 0;
            while (_book.PeekReady() is { } next && (count == 0 || count + next.Spans.Count <= max))
            {
                var trace = _book.DequeueReady();
                if (trace.Spans.Count > max)
                {
                    if (count > 0)
                    {
                        Export(count, traces);
                        count = 0;
                        traces = 0;
                    }

                    ExportLarge(trace, max);
                    continue;
                }

                EnsureCapacity(count + trace.Spans.Count);
                trace.Spans.CopyTo(_batch, count);
                count += trace.Spans.Count;
                traces += trace.HasRoot ? 1 : 0;
            }

            if (count > 0)
            {
                Export(count, traces);
            }

            Drain();
        }
    }

    /// <summary>A trace bigger than one request: children first, the root in the last request.</summary>
    private void ExportLarge(PendingTrace trace, int max)
    {
        var spans = trace.Spans;
        var root = spans.FindIndex(IsLocalRoot);
        if (root >= 0 && root != spans.Count - 1)
        {
            (spans[root], spans[^1]) = (spans[^1], spans[root]);
        }

        for (var start = 0; start < spans.Count; start += max)
        {
            var length = Math.Min(max, spans.Count - start);
            EnsureCapacity(length);
            spans.CopyTo(start, _batch, 0, length);
            var last = start + length == spans.Count;
            Export(length, last && trace.HasRoot ? 1 : 0);
        }
    }

    private void Export(int count, int traces)
    {
        var spool = _context.Spool;
        if (_abandoned && spool is null)
        {
            _context.Lost(new DeliveryFailure(MlflowLossReason.ShutdownTimeout, 0, "the shutdown time ran out before they were sent"), traces, count);
            Release(count);
            Array.Clear(_batch, 0, count);
            return;
        }

        var call = new ExportCall(traces, count, persistOnly: _abandoned);
        var succeeded = false;
        using (call.Begin())
        {
            try
            {
                succeeded = exporter.Export(new Batch<Activity>(_batch, count)) == ExportResult.Success;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                call.Failure ??= new DeliveryFailure(MlflowLossReason.Rejected, 0, "the OTLP exporter failed: " + ex.Message);
            }
        }

        _context.Record(call, succeeded);
        Release(count);
        Array.Clear(_batch, 0, count);
    }

    /// <summary>Shutdown: traces whose root never ended are not sent (MLflow would show them IN_PROGRESS forever).</summary>
    private void LoseIncomplete()
    {
        var waiting = _book.TakeAllWaiting();
        if (waiting.Count == 0)
        {
            return;
        }

        var spans = 0;
        foreach (var trace in waiting)
        {
            spans += trace.Spans.Count;
        }

        _context.Lost(new DeliveryFailure(MlflowLossReason.Incomplete, 0, "their root span had not ended at shutdown"), waiting.Count, spans);
        Release(spans);
    }

    private void Release(int spans)
    {
        Interlocked.Add(ref _queuedSpans, -spans);
        _bytesFull = _book.Bytes >= _options.MaxQueuedBytes;
        if (Volatile.Read(ref _roomWaiters) > 0)
        {
            lock (_progress)
            {
                Monitor.PulseAll(_progress);
            }
        }
    }

    private void CompleteFlush(long target)
    {
        if (target <= Volatile.Read(ref _flushCompleted))
        {
            return;
        }

        lock (_progress)
        {
            Volatile.Write(ref _flushCompleted, Math.Max(target, _flushCompleted));
            Monitor.PulseAll(_progress);
        }
    }

    private void Housekeep()
    {
        var now = Stopwatch.GetTimestamp();
        _book.Forget(now);
        if (_doomed.IsEmpty)
        {
            return;
        }

        foreach (var (traceId, since) in _doomed)
        {
            // A doomed trace is forgotten a minute after its last waiting span is gone.
            if (now - since > Stopwatch.Frequency * 60 && !_book.IsWaiting(traceId))
            {
                _doomed.TryRemove(traceId, out _);
            }
        }
    }

    private void EnsureCapacity(int count)
    {
        if (_batch.Length < count)
        {
            Array.Resize(ref _batch, Math.Max(count, _batch.Length * 2));
        }
    }

    /// <summary>The memory a span takes, estimated: <see cref="FixedSpanBytes"/> plus two bytes per character of its
    /// name, attribute keys and string values, 16 per other value, and the same for its events.</summary>
    internal static long EstimateBytes(Activity span)
    {
        long bytes = FixedSpanBytes + (span.DisplayName.Length * 2);
        foreach (ref readonly var tag in span.EnumerateTagObjects())
        {
            bytes += 48 + (tag.Key.Length * 2) + (tag.Value is string text ? text.Length * 2 : 16);
        }

        foreach (ref readonly var activityEvent in span.EnumerateEvents())
        {
            bytes += 96 + (activityEvent.Name.Length * 2);
            foreach (ref readonly var tag in activityEvent.EnumerateTagObjects())
            {
                bytes += 48 + (tag.Key.Length * 2) + (tag.Value is string text ? text.Length * 2 : 16);
            }
        }

        return bytes;
    }
}
