using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.Benchmarks.HandWritten;
using Instrumentation.Runtime;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The listener of the "with a listener" benchmarks: the OpenTelemetry SDK, AlwaysOn sampling, a simple (synchronous)
/// export processor and an exporter that drops every span. So each span pays for everything but the network: creation,
/// sampling, attributes, the processor's OnStart/OnEnd and the export call.
/// </summary>
public static class Tracing
{
    /// <summary>Starts a tracer provider listening to the runtime's source and the hand-written baseline's source.</summary>
    public static TracerProvider Start(BaseExporter<Activity> exporter) =>
        Sdk.CreateTracerProviderBuilder()
            .AddSource(AgentTelemetry.SourceName)
            .AddSource(HandWrittenSource.Name)
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(new SimpleActivityExportProcessor(exporter))
            .Build()!;

    /// <summary>Fails when something listens to the runtime's source: the no-listener benchmarks must run without one.</summary>
    public static void AssertNothingListens()
    {
        if (AgentTelemetry.IsEnabled || Instrumentation.Runtime.Llm.LlmCallObservers.HasAny)
        {
            throw new InvalidOperationException("Something listens to " + AgentTelemetry.SourceName + "; the no-listener benchmarks would measure the wrong path.");
        }
    }

    /// <summary>Fails when nothing listens: the listener benchmarks would measure the fast path.</summary>
    public static void AssertListening()
    {
        if (!AgentTelemetry.IsEnabled || !HandWrittenSource.Source.HasListeners())
        {
            throw new InvalidOperationException("The tracer provider does not listen to both sources.");
        }
    }
}

/// <summary>An exporter that drops every span and reports success.</summary>
public sealed class DroppingExporter : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
}

/// <summary>An exporter that keeps the spans, for the check (run once, before measuring) that both sides of a comparison
/// record the same span.</summary>
public sealed class CapturingExporter : BaseExporter<Activity>
{
    public List<Activity> Spans { get; } = new();

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            Spans.Add(activity);
        }

        return ExportResult.Success;
    }
}
