using System.Diagnostics.Tracing;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// Reports the MLflow export's retries and losses as they happen, on the EventSource
/// <see cref="MlflowDeliveryCounters.EventSourceName"/>, the way OpenTelemetry .NET reports its own faults. The counts
/// themselves are in <see cref="MlflowDeliveryCounters"/> and on the meter <see cref="MlflowDeliveryCounters.MeterName"/>.
/// </summary>
[EventSource(Name = MlflowDeliveryCounters.EventSourceName)]
internal sealed class DeliveryEventSource : EventSource
{
    public static readonly DeliveryEventSource Log = new();

    [Event(1, Level = EventLevel.Informational, Message = "Export to {0} failed ({1}); attempt {2} follows in {3} ms")]
    public void ExportRetried(string endpoint, string failure, int nextAttempt, long delayMilliseconds) =>
        WriteEvent(1, endpoint, failure, nextAttempt, delayMilliseconds);

    [Event(2, Level = EventLevel.Warning, Message = "{1} traces ({2} spans) lost on the way to {0}: {3} ({4})")]
    public void TracesLost(string endpoint, int traces, int spans, string reason, string failure) =>
        WriteEvent(2, endpoint, traces, spans, reason, failure);

    [Event(3, Level = EventLevel.Informational, Message = "{1} traces ({2} spans) kept on disk in {3} for the next start: {0} {4}")]
    public void TracesPersisted(string endpoint, int traces, int spans, string directory, string failure) =>
        WriteEvent(3, endpoint, traces, spans, directory, failure);

    [Event(4, Level = EventLevel.Informational, Message = "{1} traces ({2} spans) kept on disk by an earlier run delivered to {0}")]
    public void TracesResent(string endpoint, int traces, int spans) =>
        WriteEvent(4, endpoint, traces, spans);

    [Event(5, Level = EventLevel.Warning, Message = "Durable export directory {0} cannot be used: {1}")]
    public void DurableStorageFailed(string directory, string failure) =>
        WriteEvent(5, directory, failure);
}
