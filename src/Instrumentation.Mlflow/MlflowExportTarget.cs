using System;

namespace Instrumentation.Mlflow;

/// <summary>
/// Where traces go, once the tracer provider is built and the experiment resolved: see
/// <see cref="MlflowExporterOptions.OnResolved"/>.
/// </summary>
public sealed class MlflowExportTarget
{
    internal MlflowExportTarget(Uri trackingUri, string experimentId, string? experimentName, bool experimentCreated, string? runId)
    {
        Delivery = new MlflowDeliveryCounters();
        TrackingUri = trackingUri;
        ExperimentId = experimentId;
        ExperimentName = experimentName;
        ExperimentCreated = experimentCreated;
        RunId = runId;
        TracesEndpoint = new Uri(trackingUri, "v1/traces");
        ExperimentPage = new Uri(trackingUri, "#/experiments/" + Uri.EscapeDataString(experimentId));
    }

    /// <summary>The tracking server's base address, ending with <c>/</c>.</summary>
    public Uri TrackingUri { get; }

    /// <summary>The OTLP endpoint the spans are posted to: <c>{TrackingUri}v1/traces</c>.</summary>
    public Uri TracesEndpoint { get; }

    /// <summary>The experiment that receives the traces (header <c>x-mlflow-experiment-id</c>).</summary>
    public string ExperimentId { get; }

    /// <summary>The experiment's name, when it was looked up or checked on the server; otherwise <see langword="null"/>.</summary>
    public string? ExperimentName { get; }

    /// <summary>Whether the experiment did not exist and was created by name.</summary>
    public bool ExperimentCreated { get; }

    /// <summary>The run the traces are linked to (header <c>x-mlflow-run-id</c>), if any.</summary>
    public string? RunId { get; }

    /// <summary>What happened to the spans and traces sent there so far: delivered, retried, kept on disk, lost and why.
    /// Live: read it at any time, for example after <c>ForceFlush()</c> or at exit.</summary>
    public MlflowDeliveryCounters Delivery { get; private set; }

    /// <summary>The experiment's page in the MLflow UI, for example <c>http://localhost:5000/#/experiments/3</c>.</summary>
    public Uri ExperimentPage { get; }

    /// <summary>How to call the server's REST API as the exporter does (base address, authorization, timeout): for
    /// <see cref="Delivery.DeliveredTraces"/>.</summary>
    internal Configuration.RestAccess? Rest { get; private set; }

    internal MlflowExportTarget WithRest(Configuration.RestAccess rest)
    {
        Rest = rest;
        return this;
    }

    internal MlflowExportTarget WithDelivery(MlflowDeliveryCounters delivery)
    {
        Delivery = delivery;
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        ExperimentName is null
            ? $"MLflow experiment {ExperimentId} at {TrackingUri}"
            : $"MLflow experiment '{ExperimentName}' (id {ExperimentId}) at {TrackingUri}";
}
