using System;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Instrumentation.Mlflow;

/// <summary>
/// Where and how <c>AddMlflowExporter()</c> sends traces. Every property left unset is filled from MLflow's standard
/// environment variables (<see cref="MlflowEnvironmentVariables"/>); a value set in code wins.
/// </summary>
/// <remarks>
/// The experiment is chosen as a unit: when code sets <see cref="ExperimentId"/> or <see cref="ExperimentName"/>, the
/// environment's <c>MLFLOW_EXPERIMENT_ID</c> and <c>MLFLOW_EXPERIMENT_NAME</c> are both ignored, so a stray variable
/// cannot contradict the code. The same holds for <see cref="TrackingUsername"/> and <see cref="TrackingPassword"/>.
/// </remarks>
public sealed class MlflowExporterOptions
{
    /// <summary>The default of <see cref="RestApiTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultRestApiTimeout = TimeSpan.FromSeconds(10);

    private TimeSpan _restApiTimeout = DefaultRestApiTimeout;

    /// <summary>
    /// The MLflow tracking server, for example <c>http://localhost:5000</c> or <c>https://host/mlflow/</c> (a base path
    /// is kept: traces go to <c>{uri}/v1/traces</c>). Unset: <c>MLFLOW_TRACKING_URI</c>. When neither is set,
    /// <c>AddMlflowExporter()</c> adds no exporter (see <see cref="MlflowExporter.IsConfigured(Action{MlflowExporterOptions}?)"/>).
    /// Only an MLflow tracking server over http or https is supported (not <c>file:</c>, <c>sqlite:</c> or <c>databricks</c>).
    /// </summary>
    public Uri? TrackingUri { get; set; }

    /// <summary>
    /// The id of the experiment that receives the traces. Unset: <c>MLFLOW_EXPERIMENT_ID</c>. Checked on the server when
    /// the tracer provider is built (see <see cref="VerifyExperimentId"/>). When neither an id nor a name is set, traces
    /// go to MLflow's Default experiment, id <c>0</c>.
    /// </summary>
    public string? ExperimentId { get; set; }

    /// <summary>
    /// The name of the experiment that receives the traces, looked up when the tracer provider is built and created
    /// when it does not exist. Unset: <c>MLFLOW_EXPERIMENT_NAME</c>. When both an id and a name are set they must name
    /// the same experiment, or the build fails.
    /// </summary>
    public string? ExperimentName { get; set; }

    /// <summary>A run to link every trace to (header <c>x-mlflow-run-id</c>). Unset: <c>MLFLOW_RUN_ID</c>.</summary>
    public string? RunId { get; set; }

    /// <summary>A bearer token for the tracking server (<c>Authorization: Bearer</c>), used for the REST calls and the
    /// trace export. Unset: <c>MLFLOW_TRACKING_TOKEN</c>.</summary>
    public string? TrackingToken { get; set; }

    /// <summary>A user name for HTTP Basic authentication; needs <see cref="TrackingPassword"/>. Basic wins over a
    /// token when both are set, as in MLflow's Python client. Unset: <c>MLFLOW_TRACKING_USERNAME</c>.</summary>
    public string? TrackingUsername { get; set; }

    /// <summary>The password for <see cref="TrackingUsername"/>. Unset: <c>MLFLOW_TRACKING_PASSWORD</c>.</summary>
    public string? TrackingPassword { get; set; }

    /// <summary>
    /// The time allowed for each REST call made when the tracer provider is built (experiment lookup, creation,
    /// check). Default: 10 seconds. The trace export has its own: <see cref="MlflowDeliveryOptions.AttemptTimeout"/>
    /// and <see cref="MlflowDeliveryOptions.RetryWindow"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero, a negative value, or more than 10 minutes.</exception>
    public TimeSpan RestApiTimeout
    {
        get => _restApiTimeout;
        set
        {
            if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
            {
                throw new ArgumentOutOfRangeException(nameof(RestApiTimeout), value, "RestApiTimeout must be more than zero and at most 10 minutes.");
            }

            _restApiTimeout = value;
        }
    }

    /// <summary>
    /// Whether a configured experiment id (or the Default experiment <c>0</c>) is checked on the server when the tracer
    /// provider is built, so a wrong id fails at startup instead of every export failing later. Default:
    /// <see langword="true"/>. Set it to <see langword="false"/> to start without contacting the server (for example
    /// when the server may be down at startup); an experiment <em>name</em> is always looked up.
    /// </summary>
    public bool VerifyExperimentId { get; set; } = true;

    /// <summary>
    /// How finished spans reach the OTLP exporter: <see cref="ExportProcessorType.Batch"/> (the default: each trace is
    /// sent in the background as soon as its root span ends, whole, batched with what ended together; see
    /// <see cref="Delivery"/>) or <see cref="ExportProcessorType.Simple"/> (each span is sent as it ends, on the thread
    /// that ends it; for tests and short scripts). Both retry and count losses the same way.
    /// </summary>
    public ExportProcessorType ExportProcessorType { get; set; } = ExportProcessorType.Batch;

    /// <summary>
    /// The queue, retry, durable export and loss reporting of the export (docs/mlflow-export.md, "Delivery"). Changes
    /// made after <c>AddMlflowExporter()</c> returned are not seen.
    /// </summary>
    public MlflowDeliveryOptions Delivery { get; } = new();

    /// <summary>
    /// Changes the OTLP exporter's options after this library set them (endpoint, protocol, headers): for example
    /// <c>o =&gt; o.Compression = OtlpExportCompression.GZip</c>. Changing the endpoint, protocol or headers breaks the
    /// export to MLflow. The exporter's <c>HttpClientFactory</c>, <c>TimeoutMilliseconds</c>, <c>ExportProcessorType</c>
    /// and batch options are not used: the HTTP client, its retry and timeouts, and the processor come from
    /// <see cref="Delivery"/> and <see cref="ExportProcessorType"/>.
    /// </summary>
    public Action<OtlpExporterOptions>? ConfigureOtlpExporter { get; set; }

    /// <summary>
    /// Called once, when the tracer provider is built and the experiment is resolved, with where the traces will go:
    /// for example to print <c>Traces: http://localhost:5000/#/experiments/3</c> at startup.
    /// </summary>
    public Action<MlflowExportTarget>? OnResolved { get; set; }
}
