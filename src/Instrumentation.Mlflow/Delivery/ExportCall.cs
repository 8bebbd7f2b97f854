using System;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>Why one export call did not deliver: the loss reason, the HTTP status (0 when there was no answer), and a
/// sentence for people.</summary>
internal sealed record DeliveryFailure(MlflowLossReason Reason, int Status, string Message);

/// <summary>
/// One call of the OTLP exporter's <c>Export</c>, seen from both sides: the processor says what the batch holds before
/// the call, the HTTP handlers say what happened to it. The exporter sends synchronously on the calling thread
/// (<c>HttpClient.Send</c>), so a thread-static slot carries it from the processor through the exporter to the handlers
/// without changing either.
/// </summary>
internal sealed class ExportCall
{
    [ThreadStatic]
    private static ExportCall? t_current;

    public ExportCall(int traces, int spans, bool persistOnly = false)
    {
        Traces = traces;
        Spans = spans;
        PersistOnly = persistOnly;
    }

    /// <summary>The call in progress on this thread, if the processor started one.</summary>
    public static ExportCall? Current => t_current;

    /// <summary>Traces whose root is in the batch.</summary>
    public int Traces { get; }

    /// <summary>Spans in the batch.</summary>
    public int Spans { get; }

    /// <summary>Write the request to durable storage without sending it (shutdown time ran out).</summary>
    public bool PersistOnly { get; }

    /// <summary>Set when MLflow did not accept the request; <see langword="null"/> when it answered 2xx (or the request
    /// was kept on disk, see <see cref="Persisted"/>).</summary>
    public DeliveryFailure? Failure { get; set; }

    /// <summary>The request was written to durable storage instead of being delivered.</summary>
    public bool Persisted { get; set; }

    /// <summary>Why the request was kept on disk rather than delivered.</summary>
    public string? PersistReason { get; set; }

    /// <summary>Whether the handlers saw the request at all (false when the exporter failed before sending, for
    /// example a serialization failure).</summary>
    public bool Sent { get; set; }

    /// <summary>Makes this the current call until the returned scope is disposed.</summary>
    public Scope Begin()
    {
        var previous = t_current;
        t_current = this;
        return new Scope(previous);
    }

    public readonly struct Scope : IDisposable
    {
        private readonly ExportCall? _previous;

        public Scope(ExportCall? previous)
        {
            _previous = previous;
        }

        public void Dispose() => t_current = _previous;
    }
}
