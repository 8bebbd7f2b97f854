using System;
using Instrumentation.Runtime;

namespace OpenTelemetry.Trace;

/// <summary>Enables this project's spans on an OpenTelemetry tracer provider, whatever the exporter.</summary>
public static class AgentInstrumentationTracerProviderBuilderExtensions
{
    /// <summary>
    /// Adds every <see cref="System.Diagnostics.ActivitySource"/> this project emits on (today one,
    /// <see cref="AgentTelemetry.SourceName"/>: the <c>[AgentSpan]</c>, <c>[LlmCall]</c> and <c>[Tool]</c> wrappers, the
    /// OpenClaw bridge and <c>UseMlflowTracing()</c> all start their spans there). Use it with any exporter (OTLP to
    /// Jaeger, the Aspire dashboard or a collector); <c>AddMlflowExporter()</c> calls it for you.
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static TracerProviderBuilder AddAgentInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(AgentTelemetry.SourceName);
    }
}
