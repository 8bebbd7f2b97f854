using System;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Instrumentation.Mlflow;
using Instrumentation.Mlflow.Delivery;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Spans;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Delivery.Benchmarks;

/// <summary>
/// What ending spans costs the application thread with each processor in front of an exporter that discards (so only
/// the processor's own work is measured): the SDK's <c>BatchActivityExportProcessor</c> (before) and the trace
/// processor of <c>AddMlflowExporter()</c> (after). One operation: a trace of 1 AGENT + 5 TOOL spans, started and ended.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 15)]
public class AppThreadBenchmarks
{
    private TracerProvider? _provider;

    [Params("BatchActivityExportProcessor", "TraceExportProcessor")]
    public string Processor { get; set; } = "TraceExportProcessor";

    [GlobalSetup]
    public void Setup()
    {
        var exporter = new DiscardingExporter();
        BaseProcessor<Activity> processor = Processor == "TraceExportProcessor"
            ? new TraceExportProcessor(exporter, new DeliveryContext(new MlflowDeliveryOptions { LossWarningOutput = null }, new Uri("http://127.0.0.1:9/v1/traces"), "0", null))
            : new BatchActivityExportProcessor(exporter);
        _provider = Sdk.CreateTracerProviderBuilder().AddSource(AgentTelemetry.SourceName).AddProcessor(processor).Build();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [Benchmark(Description = "trace of 6 spans")]
    public void TraceOfSixSpans()
    {
        var root = AgentSpan.Start("RunAsync", agentName: "weather");
        for (var i = 0; i < 5; i++)
        {
            ToolSpan.Start("GetForecast").End();
        }

        root.End();
    }

    private sealed class DiscardingExporter : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch) => ExportResult.Success;
    }
}
