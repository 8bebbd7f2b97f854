using System;
using Instrumentation.Mlflow.Configuration;

namespace Instrumentation.Mlflow;

/// <summary>
/// Facts about the MLflow export that an application may want before building its tracer provider.
/// </summary>
public static class MlflowExporter
{
    /// <summary>
    /// A name for the MLflow exporter: <c>mlflow</c>. <c>AddMlflowExporter()</c> builds its own OTLP exporter options
    /// (from <c>OTEL_EXPORTER_OTLP_*</c> where they apply, then MLflow's endpoint and headers), so your own
    /// <c>AddOtlpExporter()</c>, under any name, is independent of it. To adjust the MLflow exporter further, use
    /// <see cref="MlflowExporterOptions.ConfigureOtlpExporter"/> and <see cref="MlflowExporterOptions.Delivery"/>.
    /// </summary>
    public const string OtlpExporterName = "mlflow";

    /// <summary>
    /// Whether <c>AddMlflowExporter(configure)</c> would add an exporter: <see langword="true"/> when a tracking URI is
    /// set, in <paramref name="configure"/> (<see cref="MlflowExporterOptions.TrackingUri"/>) or in
    /// <c>MLFLOW_TRACKING_URI</c>. When <see langword="false"/>, <c>AddMlflowExporter()</c> only adds the span source
    /// and exports nothing, so the same code runs offline; add <c>AddTraceTreeConsoleExporter()</c> to see the traces.
    /// Nothing is validated and no server is contacted: a malformed URI still counts as configured (and fails the
    /// provider build with a message that says why).
    /// </summary>
    /// <param name="configure">The same delegate you pass to <c>AddMlflowExporter()</c>, if any.</param>
    /// <example>
    /// <code>
    /// var builder = Sdk.CreateTracerProviderBuilder().AddMlflowExporter();
    /// if (!MlflowExporter.IsConfigured())
    /// {
    ///     builder.AddTraceTreeConsoleExporter();
    /// }
    /// </code>
    /// </example>
    public static bool IsConfigured(Action<MlflowExporterOptions>? configure = null) =>
        IsConfigured(configure, Environment.GetEnvironmentVariable);

    internal static bool IsConfigured(Action<MlflowExporterOptions>? configure, Func<string, string?> environment)
    {
        var options = new MlflowExporterOptions();
        configure?.Invoke(options);
        return MlflowSettings.Read(options, environment).IsConfigured;
    }
}
