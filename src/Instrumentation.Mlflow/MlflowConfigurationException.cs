using System;

namespace Instrumentation.Mlflow;

/// <summary>
/// The MLflow export is misconfigured: a malformed tracking URI, an experiment that does not exist, a server that
/// cannot be reached to look the experiment up, settings that contradict each other. Thrown when the tracer provider
/// is built (<c>Sdk.CreateTracerProviderBuilder()...Build()</c>, or when the host resolves it), never while tracing.
/// The message names the environment variable (or option) and its value, and says what to do.
/// </summary>
public sealed class MlflowConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="setting">The environment variable or option at fault, for example <c>MLFLOW_TRACKING_URI</c>.</param>
    /// <param name="value">The value it had.</param>
    /// <param name="innerException">The underlying failure, for example the connection error.</param>
    public MlflowConfigurationException(string message, string? setting = null, string? value = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Setting = setting;
        Value = value;
    }

    /// <summary>The environment variable or option at fault (<c>MLFLOW_EXPERIMENT_ID</c>,
    /// <c>MlflowExporterOptions.TrackingUri</c>, ...), when one is.</summary>
    public string? Setting { get; }

    /// <summary>The value <see cref="Setting"/> had.</summary>
    public string? Value { get; }
}
