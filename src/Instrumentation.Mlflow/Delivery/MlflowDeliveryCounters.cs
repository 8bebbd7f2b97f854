using System.Threading;

namespace Instrumentation.Mlflow;

/// <summary>Why spans did not reach MLflow.</summary>
public enum MlflowLossReason
{
    /// <summary>The queue was full (<see cref="MlflowDeliveryOptions.MaxQueuedSpans"/> or
    /// <see cref="MlflowDeliveryOptions.MaxQueuedBytes"/>) for longer than <see cref="MlflowDeliveryOptions.QueueFullWait"/>.</summary>
    QueueFull,

    /// <summary>MLflow answered with an error status: at once for a status that is not retried (400, 401, 404, 422,
    /// 501, ...), or still after <see cref="MlflowDeliveryOptions.RetryWindow"/> for 408, 429 and 5xx.
    /// <see cref="MlflowDeliveryCounters.LastRejectedStatus"/> holds the status.</summary>
    Rejected,

    /// <summary>MLflow could not be reached within <see cref="MlflowDeliveryOptions.RetryWindow"/>: connection refused
    /// or reset, no answer within <see cref="MlflowDeliveryOptions.AttemptTimeout"/>, a name that does not resolve.</summary>
    Unreachable,

    /// <summary>Still queued or being sent when the provider shut down and its shutdown time ran out.</summary>
    ShutdownTimeout,

    /// <summary>The trace's root span had not ended when the provider shut down: its other spans are not sent, so MLflow
    /// never shows a trace without its root.</summary>
    Incomplete,
}

/// <summary>
/// What happened to the spans and traces of one MLflow exporter (one tracer provider): delivered (MLflow answered 2xx),
/// retried, kept on disk, lost and why. Thread-safe; every count only grows. A trace counts once, when its root span is
/// sent or lost. Read it from <see cref="MlflowExportTarget.Delivery"/>; the same numbers are published as
/// <c>System.Diagnostics.Metrics</c> instruments of the meter <see cref="MeterName"/> and as events of the EventSource
/// <see cref="EventSourceName"/>.
/// </summary>
public sealed class MlflowDeliveryCounters
{
    /// <summary>The meter of the delivery instruments: <c>Instrumentation.Agents.Mlflow</c>. Instruments:
    /// <c>mlflow.export.spans</c> and <c>mlflow.export.traces</c> (counters, tag <c>outcome</c> = <c>delivered</c>,
    /// <c>persisted</c>, <c>resent</c> or <c>lost</c>, and for losses <c>reason</c> (<c>queue_full</c>, <c>rejected</c>,
    /// <c>unreachable</c>, <c>shutdown_timeout</c>, <c>incomplete</c>) and <c>http.response.status_code</c>) and
    /// <c>mlflow.export.retries</c> (counter of retried attempts); every measurement also carries <c>server.address</c> and <c>server.port</c>.</summary>
    public const string MeterName = "Instrumentation.Agents.Mlflow";

    /// <summary>The EventSource that reports retries and losses as they happen: <c>Instrumentation-Agents-Mlflow</c>
    /// (for example <c>dotnet-trace collect --providers Instrumentation-Agents-Mlflow</c>).</summary>
    public const string EventSourceName = "Instrumentation-Agents-Mlflow";

    private readonly long[] _tracesLost = new long[5];
    private readonly long[] _spansLost = new long[5];
    private long _tracesEnded;
    private long _spansEnded;
    private long _tracesDelivered;
    private long _spansDelivered;
    private long _tracesPersisted;
    private long _spansPersisted;
    private long _tracesResent;
    private long _spansResent;
    private long _retries;
    private int _lastRejectedStatus;
    private string? _lastFailure;

    /// <summary>Traces whose root span ended (what the application produced).</summary>
    public long TracesEnded => Volatile.Read(ref _tracesEnded);

    /// <summary>Spans that ended with the recorded flag set (what the application produced).</summary>
    public long SpansEnded => Volatile.Read(ref _spansEnded);

    /// <summary>Traces whose root MLflow accepted (2xx).</summary>
    public long TracesDelivered => Volatile.Read(ref _tracesDelivered);

    /// <summary>Spans MLflow accepted (2xx).</summary>
    public long SpansDelivered => Volatile.Read(ref _spansDelivered);

    /// <summary>Export attempts that failed and were tried again.</summary>
    public long Retries => Volatile.Read(ref _retries);

    /// <summary>Traces written to <see cref="MlflowDeliveryOptions.DurableDirectory"/> to be sent on the next start.</summary>
    public long TracesPersisted => Volatile.Read(ref _tracesPersisted);

    /// <summary>Spans written to <see cref="MlflowDeliveryOptions.DurableDirectory"/>.</summary>
    public long SpansPersisted => Volatile.Read(ref _spansPersisted);

    /// <summary>Traces kept on disk by an earlier run and delivered by this one.</summary>
    public long TracesResent => Volatile.Read(ref _tracesResent);

    /// <summary>Spans kept on disk by an earlier run and delivered by this one.</summary>
    public long SpansResent => Volatile.Read(ref _spansResent);

    /// <summary>Traces lost, for every reason.</summary>
    public long TracesLost
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _tracesLost.Length; i++)
            {
                sum += Volatile.Read(ref _tracesLost[i]);
            }

            return sum;
        }
    }

    /// <summary>Spans lost, for every reason (a trace lost whole counts all its spans).</summary>
    public long SpansLost
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _spansLost.Length; i++)
            {
                sum += Volatile.Read(ref _spansLost[i]);
            }

            return sum;
        }
    }

    /// <summary>The status of the last error answer that lost traces (<see cref="MlflowLossReason.Rejected"/>), or 0.</summary>
    public int LastRejectedStatus => Volatile.Read(ref _lastRejectedStatus);

    /// <summary>A sentence saying why traces were last lost, for example <c>connection refused</c> or
    /// <c>MLflow answered 404: Experiment with id '7' does not exist.</c>; <see langword="null"/> when nothing was lost.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    /// <summary>Traces lost for <paramref name="reason"/>.</summary>
    public long TracesLostFor(MlflowLossReason reason) => Volatile.Read(ref _tracesLost[(int)reason]);

    /// <summary>Spans lost for <paramref name="reason"/>.</summary>
    public long SpansLostFor(MlflowLossReason reason) => Volatile.Read(ref _spansLost[(int)reason]);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{TracesDelivered} of {TracesEnded} traces delivered ({SpansDelivered} spans), {TracesLost} lost, {TracesPersisted} kept on disk, {Retries} retries";

    internal void SpanEnded() => Interlocked.Increment(ref _spansEnded);

    internal void TraceEnded() => Interlocked.Increment(ref _tracesEnded);

    internal void AddRetry() => Interlocked.Increment(ref _retries);

    internal void AddDelivered(int traces, int spans)
    {
        Interlocked.Add(ref _tracesDelivered, traces);
        Interlocked.Add(ref _spansDelivered, spans);
    }

    internal void AddPersisted(int traces, int spans)
    {
        Interlocked.Add(ref _tracesPersisted, traces);
        Interlocked.Add(ref _spansPersisted, spans);
    }

    internal void AddResent(int traces, int spans)
    {
        Interlocked.Add(ref _tracesResent, traces);
        Interlocked.Add(ref _spansResent, spans);
    }

    internal void AddLost(MlflowLossReason reason, int traces, int spans, int status, string failure)
    {
        Interlocked.Add(ref _tracesLost[(int)reason], traces);
        Interlocked.Add(ref _spansLost[(int)reason], spans);
        if (status != 0)
        {
            Volatile.Write(ref _lastRejectedStatus, status);
        }

        Volatile.Write(ref _lastFailure, failure);
    }
}
