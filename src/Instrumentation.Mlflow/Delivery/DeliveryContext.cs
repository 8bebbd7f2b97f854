using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// What one MLflow exporter's delivery parts share: the settings, the counters (with their metrics and events), the
/// endpoint for messages, and the switch that abandons the request in flight when shutdown time runs out.
/// </summary>
internal sealed class DeliveryContext : IDisposable
{
    private readonly CancellationTokenSource _abandon = new();
    private int _warned;

    public DeliveryContext(MlflowDeliveryOptions options, Uri endpoint, string experimentId, string? runId)
    {
        Options = options;
        Endpoint = endpoint;
        ExperimentId = experimentId;
        RunId = runId;
        Metrics = new DeliveryMetrics(endpoint);
    }

    private DeliveryMetrics Metrics { get; }

    public MlflowDeliveryOptions Options { get; }

    public MlflowDeliveryCounters Counters { get; } = new();

    /// <summary>The OTLP endpoint, <c>{tracking uri}v1/traces</c>.</summary>
    public Uri Endpoint { get; }

    public string ExperimentId { get; }

    public string? RunId { get; }

    /// <summary>Durable storage, when <see cref="MlflowDeliveryOptions.DurableDirectory"/> is set and usable.</summary>
    public DurableSpool? Spool { get; set; }

    /// <summary>Cancelled when shutdown time runs out: the request in flight and its retries stop.</summary>
    public CancellationToken Abandoned => _abandon.Token;

    public void Abandon()
    {
        try
        {
            _abandon.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Delivered(int traces, int spans)
    {
        Counters.AddDelivered(traces, spans);
        Metrics.Delivered(traces, spans);
    }

    public void Persisted(int traces, int spans, string why)
    {
        Counters.AddPersisted(traces, spans);
        Metrics.Persisted(traces, spans);
        DeliveryEventSource.Log.TracesPersisted(Endpoint.ToString(), traces, spans, Spool?.Directory ?? string.Empty, why);
    }

    public void Resent(int traces, int spans)
    {
        Counters.AddResent(traces, spans);
        Metrics.Resent(traces, spans);
        DeliveryEventSource.Log.TracesResent(Endpoint.ToString(), traces, spans);
    }

    public void Lost(DeliveryFailure failure, int traces, int spans)
    {
        if (traces == 0 && spans == 0)
        {
            return;
        }

        Counters.AddLost(failure.Reason, traces, spans, failure.Status, failure.Message);
        Metrics.Lost(failure.Reason, traces, spans, failure.Status);
        DeliveryEventSource.Log.TracesLost(Endpoint.ToString(), traces, spans, DeliveryMetrics.ReasonTag(failure.Reason), failure.Message);
    }

    /// <summary>Counts what one export call did, from the exporter's result and what the handlers saw.</summary>
    public void Record(ExportCall call, bool exporterSucceeded)
    {
        if (exporterSucceeded && call.Failure is null)
        {
            if (call.Persisted)
            {
                Persisted(call.Traces, call.Spans, call.PersistReason ?? string.Empty);
            }
            else
            {
                Delivered(call.Traces, call.Spans);
            }

            return;
        }

        Lost(call.Failure ?? ExporterFailure(call), call.Traces, call.Spans);
    }

    private DeliveryFailure ExporterFailure(ExportCall call) => _abandon.IsCancellationRequested
        ? new DeliveryFailure(MlflowLossReason.ShutdownTimeout, 0, "the shutdown time ran out while sending")
        : new DeliveryFailure(MlflowLossReason.Rejected, 0, call.Sent
            ? "the OTLP exporter reported a failure"
            : "the OTLP exporter could not build the request (serialization failed or it exceeded the exporter's MaxRequestSizeBytes); see the OpenTelemetry-Exporter-OpenTelemetryProtocol EventSource");

    public void Retried(string failure, int nextAttempt, TimeSpan delay)
    {
        Counters.AddRetry();
        Metrics.Retry();
        DeliveryEventSource.Log.ExportRetried(Endpoint.ToString(), failure, nextAttempt, (long)delay.TotalMilliseconds);
    }

    /// <summary>The one line for people at shutdown when anything was lost, else <see langword="null"/>.</summary>
    public string? LossWarning()
    {
        var lost = Counters.TracesLost;
        var lostSpans = Counters.SpansLost;
        if (lost == 0 && lostSpans == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var ended = Math.Max(Counters.TracesEnded, lost);
        var what = lost > 0
            ? string.Format(inv, "{0:N0} of {1:N0} traces could not be delivered to MLflow at {2}", lost, ended, Endpoint)
            : string.Format(inv, "{0:N0} spans of delivered traces could not be delivered to MLflow at {1}", lostSpans, Endpoint);
        return what + ": " + (Counters.LastFailure ?? "unknown failure");
    }

    /// <summary>Writes <see cref="LossWarning"/> once, to <see cref="MlflowDeliveryOptions.LossWarningOutput"/>.</summary>
    public void WarnOnceIfLost()
    {
        if (LossWarning() is not { } line || Options.LossWarningOutput is not { } output || Interlocked.Exchange(ref _warned, 1) != 0)
        {
            return;
        }

        try
        {
            output.WriteLine("warning: " + line);
            output.Flush();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Fail-open: a closed stderr loses the line; the counters still hold the numbers.
        }
    }

    public void Dispose() => _abandon.Dispose();
}
