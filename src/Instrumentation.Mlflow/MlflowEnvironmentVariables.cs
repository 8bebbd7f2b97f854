namespace Instrumentation.Mlflow;

/// <summary>
/// The MLflow environment variables <c>AddMlflowExporter()</c> reads: the same names MLflow's own clients use.
/// A value set in code (<see cref="MlflowExporterOptions"/>) wins over the environment.
/// </summary>
public static class MlflowEnvironmentVariables
{
    /// <summary><c>MLFLOW_TRACKING_URI</c>: the tracking server, for example <c>http://localhost:5000</c>. Unset (and no
    /// <see cref="MlflowExporterOptions.TrackingUri"/>): <c>AddMlflowExporter()</c> adds no exporter.</summary>
    public const string TrackingUri = "MLFLOW_TRACKING_URI";

    /// <summary><c>MLFLOW_EXPERIMENT_ID</c>: the experiment that receives the traces; checked on the server at startup.</summary>
    public const string ExperimentId = "MLFLOW_EXPERIMENT_ID";

    /// <summary><c>MLFLOW_EXPERIMENT_NAME</c>: the experiment that receives the traces, looked up by name and created
    /// when missing.</summary>
    public const string ExperimentName = "MLFLOW_EXPERIMENT_NAME";

    /// <summary><c>MLFLOW_RUN_ID</c>: links every trace to this run (header <c>x-mlflow-run-id</c>).</summary>
    public const string RunId = "MLFLOW_RUN_ID";

    /// <summary><c>MLFLOW_TRACKING_TOKEN</c>: sent as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public const string TrackingToken = "MLFLOW_TRACKING_TOKEN";

    /// <summary><c>MLFLOW_TRACKING_USERNAME</c>: with <see cref="TrackingPassword"/>, sent as HTTP Basic authentication
    /// (which wins over <see cref="TrackingToken"/>, as in MLflow's Python client).</summary>
    public const string TrackingUsername = "MLFLOW_TRACKING_USERNAME";

    /// <summary><c>MLFLOW_TRACKING_PASSWORD</c>: see <see cref="TrackingUsername"/>.</summary>
    public const string TrackingPassword = "MLFLOW_TRACKING_PASSWORD";
}
