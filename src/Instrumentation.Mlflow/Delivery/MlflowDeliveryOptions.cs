using System;
using System.IO;

namespace Instrumentation.Mlflow;

/// <summary>
/// How <c>AddMlflowExporter()</c> gets traces to MLflow: the queue between the application and the exporter, the retry
/// of failed exports, durable export, and where a loss is reported. Set through
/// <see cref="MlflowExporterOptions.Delivery"/>. docs/mlflow-export.md, "Delivery", explains each bound and why its
/// default was chosen; docs/benchmarks.md has the measurements.
/// </summary>
public sealed class MlflowDeliveryOptions
{
    /// <summary>The default of <see cref="MaxQueuedSpans"/>: 65,536 spans.</summary>
    public const int DefaultMaxQueuedSpans = 65_536;

    /// <summary>The default of <see cref="MaxQueuedBytes"/>: 128 MiB (estimated, see the property).</summary>
    public const long DefaultMaxQueuedBytes = 128L * 1024 * 1024;

    /// <summary>The default of <see cref="MaxExportBatchSpans"/>: 2,048 spans per request.</summary>
    public const int DefaultMaxExportBatchSpans = 2_048;

    private int _maxQueuedSpans = DefaultMaxQueuedSpans;
    private long _maxQueuedBytes = DefaultMaxQueuedBytes;
    private int _maxExportBatchSpans = DefaultMaxExportBatchSpans;
    private TimeSpan _queueFullWait = TimeSpan.FromSeconds(1);
    private TimeSpan _retryWindow = TimeSpan.FromSeconds(60);
    private TimeSpan _attemptTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _firstRetryDelay = TimeSpan.FromMilliseconds(250);
    private TimeSpan _maxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most spans held between the application and MLflow: ended spans waiting for their trace's root, and traces
    /// waiting to be sent or being retried. Default: <see cref="DefaultMaxQueuedSpans"/> (a burst of 10,000 traces of
    /// 6 spans fits). When it is reached, see <see cref="QueueFullWait"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxQueuedSpans
    {
        get => _maxQueuedSpans;
        set => _maxQueuedSpans = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxQueuedSpans), value, "MaxQueuedSpans must be at least 1.");
    }

    /// <summary>
    /// The most memory, in bytes, the queued spans may take, as estimated from their names, attribute keys and values
    /// (two bytes per character) and events, plus a fixed 512 bytes per span. Default:
    /// <see cref="DefaultMaxQueuedBytes"/>. Counted on the export thread as spans are taken in, so the application
    /// thread pays nothing for it; the bound may be passed by what ends in the few milliseconds before it is noticed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1 MiB.</exception>
    public long MaxQueuedBytes
    {
        get => _maxQueuedBytes;
        set => _maxQueuedBytes = value >= 1024 * 1024 ? value : throw new ArgumentOutOfRangeException(nameof(MaxQueuedBytes), value, "MaxQueuedBytes must be at least 1 MiB (1048576).");
    }

    /// <summary>
    /// How long the thread that ends a span waits for room when the queue is full, before the span's whole trace is
    /// dropped and counted lost (<see cref="MlflowLossReason.QueueFull"/>). Default: 1 second, which in the measured
    /// burst never elapsed (docs/benchmarks.md). <see cref="TimeSpan.Zero"/>: never wait, drop at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than 1 minute.</exception>
    public TimeSpan QueueFullWait
    {
        get => _queueFullWait;
        set => _queueFullWait = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(QueueFullWait), value, "QueueFullWait must be between 0 and 1 minute.");
    }

    /// <summary>
    /// The most spans sent in one OTLP request. Whole traces go together; a trace bigger than this is sent in several
    /// requests, its root in the last. Default: <see cref="DefaultMaxExportBatchSpans"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxExportBatchSpans
    {
        get => _maxExportBatchSpans;
        set => _maxExportBatchSpans = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxExportBatchSpans), value, "MaxExportBatchSpans must be at least 1.");
    }

    /// <summary>
    /// How long one request is retried after connection failures, timeouts, 408, 429 and 5xx (except 501), counted from
    /// its first attempt. Default: 60 seconds, so an MLflow restart of 15 to 50 seconds loses nothing. After it, the
    /// request's traces are lost (<see cref="MlflowLossReason.Unreachable"/> or <see cref="MlflowLossReason.Rejected"/>)
    /// or, with <see cref="DurableDirectory"/>, kept on disk. While a request is retried, later traces wait in the
    /// queue.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative, or more than 1 hour.</exception>
    public TimeSpan RetryWindow
    {
        get => _retryWindow;
        set => _retryWindow = value > TimeSpan.Zero && value <= TimeSpan.FromHours(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(RetryWindow), value, "RetryWindow must be more than 0 and at most 1 hour.");
    }

    /// <summary>How long one attempt may wait for MLflow's answer before it counts as a timeout and is retried.
    /// Default: 10 seconds (the OTLP exporter's own default timeout).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Zero or negative, or more than 10 minutes.</exception>
    public TimeSpan AttemptTimeout
    {
        get => _attemptTimeout;
        set => _attemptTimeout = value > TimeSpan.Zero && value <= TimeSpan.FromMinutes(10) ? value
            : throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), value, "AttemptTimeout must be more than 0 and at most 10 minutes.");
    }

    /// <summary>
    /// The wait before the first retry; each later wait doubles, with jitter, up to <see cref="MaxRetryDelay"/>. A
    /// <c>Retry-After</c> header (seconds or a date) on a 429 or 503 answer is honoured instead. Default: 250 ms.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than 1 minute.</exception>
    public TimeSpan FirstRetryDelay
    {
        get => _firstRetryDelay;
        set => _firstRetryDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(FirstRetryDelay), value, "FirstRetryDelay must be between 0 and 1 minute.");
    }

    /// <summary>The longest wait between two attempts (backoff, not <c>Retry-After</c>). Default: 5 seconds.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or more than 10 minutes.</exception>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        set => _maxRetryDelay = value >= TimeSpan.Zero && value <= TimeSpan.FromMinutes(10) ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), value, "MaxRetryDelay must be between 0 and 10 minutes.");
    }

    /// <summary>
    /// Turns on durable export: a directory where requests that could not be delivered within
    /// <see cref="RetryWindow"/>, or were still unsent when the provider shut down, are kept (through
    /// OpenTelemetry.PersistentStorage.FileSystem), and sent to the experiment they were meant for when a provider
    /// with the same directory starts next. Default: <see langword="null"/>, off. Counted as
    /// <see cref="MlflowDeliveryCounters.TracesPersisted"/>, not as lost.
    /// </summary>
    public string? DurableDirectory { get; set; }

    /// <summary>
    /// How much disk <see cref="DurableDirectory"/> may use, in bytes. Default: 256 MiB. Past it, a request that
    /// cannot be stored is lost and counted.
    /// </summary>
    public long DurableMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// Where the one warning line is written at shutdown when anything was lost, for example "12 of 10,000 traces
    /// could not be delivered to MLflow at http://localhost:5000/: connection refused". Default: standard error.
    /// <see langword="null"/>: no line (the counters, metrics and EventSource still report the losses).
    /// </summary>
    public TextWriter? LossWarningOutput { get; set; } = Console.Error;

    /// <summary>How often the export thread wakes with nothing to do, to forget old trace ids. Not a send schedule: traces
    /// go when their root ends. Tests set it to hours to prove that.</summary>
    internal TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the export thread keeps polling after work before it sleeps until a root's end signals it
    /// (<see cref="Delivery.ExportThreadWakeup"/>). Zero: sleep at once (the benchmarks compare both).</summary>
    internal TimeSpan ExportLinger { get; set; } = TimeSpan.FromMilliseconds(Delivery.ExportThreadWakeup.DefaultLingerMilliseconds);

    internal MlflowDeliveryOptions Clone() => (MlflowDeliveryOptions)MemberwiseClone();
}
