using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// The delivery counts as <c>System.Diagnostics.Metrics</c> instruments of the meter
/// <see cref="MlflowDeliveryCounters.MeterName"/> (documented there). Every measurement carries the tags
/// <c>server.address</c> and <c>server.port</c> of the MLflow server (OpenTelemetry HTTP client conventions).
/// </summary>
internal sealed class DeliveryMetrics
{
    private static readonly Meter Meter = new(MlflowDeliveryCounters.MeterName, typeof(DeliveryMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Spans = Meter.CreateCounter<long>("mlflow.export.spans", "{span}", "Spans by delivery outcome");

    private static readonly Counter<long> Traces = Meter.CreateCounter<long>("mlflow.export.traces", "{trace}", "Traces by delivery outcome");

    private static readonly Counter<long> RetryCounter = Meter.CreateCounter<long>("mlflow.export.retries", "{attempt}", "Export attempts that failed and were tried again");

    private readonly string _address;
    private readonly int _port;

    public DeliveryMetrics(Uri endpoint)
    {
        _address = endpoint.Host;
        _port = endpoint.Port;
    }

    public void Delivered(int traces, int spans) => Outcome("delivered", traces, spans);

    public void Persisted(int traces, int spans) => Outcome("persisted", traces, spans);

    public void Resent(int traces, int spans) => Outcome("resent", traces, spans);

    public void Retry()
    {
        if (RetryCounter.Enabled)
        {
            RetryCounter.Add(1, Server());
        }
    }

    public void Lost(MlflowLossReason reason, int traces, int spans, int status)
    {
        if (!Spans.Enabled && !Traces.Enabled)
        {
            return;
        }

        var tags = Server();
        tags.Add("outcome", "lost");
        tags.Add("reason", ReasonTag(reason));
        if (status != 0)
        {
            tags.Add("http.response.status_code", status);
        }

        Add(traces, spans, tags);
    }

    internal static string ReasonTag(MlflowLossReason reason) => reason switch
    {
        MlflowLossReason.QueueFull => "queue_full",
        MlflowLossReason.Rejected => "rejected",
        MlflowLossReason.Unreachable => "unreachable",
        MlflowLossReason.ShutdownTimeout => "shutdown_timeout",
        _ => "incomplete",
    };

    private TagList Server() => new() { { "server.address", _address }, { "server.port", _port } };

    private void Outcome(string outcome, int traces, int spans)
    {
        if (Spans.Enabled || Traces.Enabled)
        {
            var tags = Server();
            tags.Add("outcome", outcome);
            Add(traces, spans, tags);
        }
    }

    private static void Add(int traces, int spans, in TagList tags)
    {
        if (spans > 0)
        {
            Spans.Add(spans, tags);
        }

        if (traces > 0)
        {
            Traces.Add(traces, tags);
        }
    }
}
