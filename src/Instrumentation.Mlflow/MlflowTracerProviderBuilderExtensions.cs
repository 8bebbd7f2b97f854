using System;
using Instrumentation.Mlflow;
using Instrumentation.Mlflow.Configuration;
using Instrumentation.Mlflow.Delivery;
using Instrumentation.Mlflow.GenAi;
using Instrumentation.Runtime;

namespace OpenTelemetry.Trace;

/// <summary>
/// Exporting agent traces: <see cref="AddMlflowExporter(TracerProviderBuilder, Action{MlflowExporterOptions}?)"/> sends them to an MLflow tracking server,
/// <see cref="AddTraceTreeConsoleExporter"/> prints each finished trace as a tree.
/// </summary>
public static class MlflowTracerProviderBuilderExtensions
{
    /// <summary>
    /// Sends traces to an MLflow tracking server through the stock OTLP exporter (OTLP/HTTP protobuf to
    /// <c>{tracking uri}/v1/traces</c> with the header <c>x-mlflow-experiment-id</c>), and adds the agent span source
    /// (<see cref="AgentTelemetry.SourceName"/>).
    /// </summary>
    /// <remarks>
    /// <para>Settings come from <paramref name="configure"/> first, then from MLflow's environment variables
    /// (<c>MLFLOW_TRACKING_URI</c>, <c>MLFLOW_EXPERIMENT_ID</c>, <c>MLFLOW_EXPERIMENT_NAME</c>, <c>MLFLOW_RUN_ID</c>,
    /// <c>MLFLOW_TRACKING_TOKEN</c>, <c>MLFLOW_TRACKING_USERNAME</c>/<c>MLFLOW_TRACKING_PASSWORD</c>).
    /// <paramref name="configure"/> runs now, to learn whether a tracking URI is set.</para>
    /// <para>No tracking URI: no exporter is added (only the source), so the same code runs offline; see
    /// <see cref="MlflowExporter.IsConfigured(Action{MlflowExporterOptions}?)"/>.</para>
    /// <para>The experiment is resolved when the provider is built (<c>Build()</c>, or when a host resolves the
    /// provider), not here: by name (looked up, created when missing), by id (checked), or MLflow's Default experiment
    /// <c>0</c>. A malformed URI, an unknown experiment or an unreachable server then fails the build with an
    /// <see cref="MlflowConfigurationException"/> naming the variable and its value. Once built, the export is
    /// fail-open: a server that goes away is retried, and what cannot be delivered is counted
    /// (<see cref="MlflowExportTarget.Delivery"/>) and reported, never thrown into the application.</para>
    /// <para>Each trace is sent as soon as its root span ends, whole (docs/mlflow-export.md, "Delivery";
    /// <see cref="MlflowExporterOptions.Delivery"/>). The exporter has its own OTLP options, so an
    /// <c>AddOtlpExporter()</c> of your own (Jaeger, a collector) works beside it. Call this method once per provider.</para>
    /// <para>Spans of other libraries that follow the OpenTelemetry GenAI semantic conventions (add their sources, for
    /// example <c>Experimental.Microsoft.Extensions.AI</c> and <c>Experimental.Microsoft.Agents.AI</c>) get the MLflow
    /// attributes before export: span type, chat view, tool definitions, usage counted once, session from
    /// <c>gen_ai.conversation.id</c>; and one that duplicates a span of ours is dropped (docs/agent-framework.md).</para>
    /// </remarks>
    /// <param name="builder">The tracer provider builder.</param>
    /// <param name="configure">Sets options in code; unset ones come from the environment.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TracerProviderBuilder AddMlflowExporter(this TracerProviderBuilder builder, Action<MlflowExporterOptions>? configure = null) =>
        AddMlflowExporter(builder, configure, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Prints each finished trace to the console (or <see cref="TraceTreeOptions.Output"/>) as an indented tree: span
    /// type, name, duration, status, model, token usage, and inputs and outputs cut to one line. Also adds the agent span
    /// source (<see cref="AgentTelemetry.SourceName"/>). A trace is printed when its root span ends; spans still waiting
    /// for their root when the provider is flushed or shut down are printed as an incomplete tree.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <param name="configure">Changes the output, the value width, colors.</param>
    /// <returns>The builder, for chaining.</returns>
    public static TracerProviderBuilder AddTraceTreeConsoleExporter(this TracerProviderBuilder builder, Action<TraceTreeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new TraceTreeOptions();
        configure?.Invoke(options);
        builder.AddAgentInstrumentation();
        builder.AddProcessor(new GenAiSpanProcessor());
        return builder.AddProcessor(new OpenTelemetry.SimpleActivityExportProcessor(new TraceTreeExporter(options)));
    }

    internal static TracerProviderBuilder AddMlflowExporter(TracerProviderBuilder builder, Action<MlflowExporterOptions>? configure,
        Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MlflowExporterOptions();
        configure?.Invoke(options);
        var settings = MlflowSettings.Read(options, environment);

        builder.AddAgentInstrumentation();
        if (!settings.IsConfigured)
        {
            return builder;
        }

        // Spans of other GenAI libraries made MLflow-correct, and their duplicates of ours dropped, before export.
        builder.AddProcessor(new GenAiSpanProcessor());

        // Resolved when the provider is built (the processor factory runs inside Build()), not here.
        return builder.AddProcessor(_ =>
        {
            var validated = settings.Validate();
            return DeliveryPipeline.Create(validated, ExperimentResolver.Resolve(validated).WithRest(RestAccess.Of(validated)));
        });
    }
}
