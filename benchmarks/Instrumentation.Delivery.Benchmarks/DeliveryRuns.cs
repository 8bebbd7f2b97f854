using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Instrumentation.Mlflow;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Instrumentation.Delivery.Benchmarks;

/// <summary>
/// Stopwatch runs against the loopback fake MLflow (in the same process): a burst of traces of 1 AGENT + 5 TOOL spans
/// emitted as fast as one thread can, and traces sent one per second; each reports what arrived and the time from the
/// root span's end to the fake receiving the request that carries the root. <c>stock</c>: the SDK's own
/// <c>AddOtlpExporter()</c> with its defaults (the state before issue 10), for comparison.
/// </summary>
internal static class DeliveryRuns
{
    public static void Burst(bool stock, int traces)
    {
        using var mlflow = FakeMlflowServer.Start();
        var ended = new Dictionary<string, long>(traces);
        MlflowExportTarget? target = null;
        var watch = Stopwatch.StartNew();
        using (var provider = Build(mlflow, stock, t => target = t))
        {
            Warm(provider, mlflow);
            var peak = new PeakMemory();
            watch.Restart();
            for (var i = 0; i < traces; i++)
            {
                var (id, at) = EmitTrace();
                ended[id] = at;
            }

            var emitted = watch.Elapsed;
            provider.ForceFlush(120_000);
            var delivered = watch.Elapsed;
            peak.Stop();
            Report(stock ? "burst, stock AddOtlpExporter" : "burst, AddMlflowExporter defaults", mlflow, ended, traces);
            Console.WriteLine($"  emitted {traces * 6:N0} spans in {emitted.TotalSeconds:0.000} s; all handled after {delivered.TotalSeconds:0.000} s: " +
                $"{mlflow.Spans.Count / delivered.TotalSeconds:N0} spans/s delivered");
            Console.WriteLine($"  peak working set {peak.PeakBytes / (1024.0 * 1024):0} MiB (process, fake MLflow included), peak GC heap {peak.PeakHeapBytes / (1024.0 * 1024):0} MiB");
        }

        if (target is not null)
        {
            Console.WriteLine("  counters: " + target.Delivery);
        }
    }

    public static void OnePerSecond(bool stock, int traces)
    {
        using var mlflow = FakeMlflowServer.Start();
        var ended = new Dictionary<string, long>(traces);
        using (var provider = Build(mlflow, stock, null))
        {
            Warm(provider, mlflow);
            for (var i = 0; i < traces; i++)
            {
                var (id, at) = EmitTrace();
                ended[id] = at;
                Thread.Sleep(1000);
            }

            provider.ForceFlush(30_000);
            Report(stock ? "1 trace/s, stock AddOtlpExporter" : "1 trace/s, AddMlflowExporter defaults", mlflow, ended, traces);
        }
    }

    /// <summary>A steady application: a trace every 2 ms, timing each trace's start-to-end on the application thread
    /// (what the application pays), with the SDK's exporter, with the export thread sleeping at once after each trace
    /// (no linger: each root's end pays a kernel wake-up), and with the default linger.</summary>
    public static void Paced(int traces)
    {
        foreach (var (title, stock, linger) in new[]
        {
            ("stock AddOtlpExporter", true, TimeSpan.Zero),
            ("AddMlflowExporter, no linger", false, TimeSpan.Zero),
            ("AddMlflowExporter defaults (linger 100 ms)", false, new MlflowDeliveryOptions().ExportLinger),
        })
        {
            using var mlflow = FakeMlflowServer.Start();
            var costs = new List<double>(traces);
            using (var provider = Build(mlflow, stock, null, linger))
            {
                Warm(provider, mlflow);
                for (var i = 0; i < traces; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    EmitTrace();
                    costs.Add((Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency);
                    Thread.Sleep(2);
                }

                provider.ForceFlush(30_000);
            }

            costs.Sort();
            Console.WriteLine($"paced, {title}: one trace of 6 spans on the app thread: median {Percentile(costs, 0.5):0.0} µs, " +
                $"p90 {Percentile(costs, 0.9):0.0} µs, p99 {Percentile(costs, 0.99):0.0} µs ({mlflow.Spans.Count:N0} of {traces * 6:N0} spans arrived)");
        }
    }

    private static TracerProvider Build(FakeMlflowServer mlflow, bool stock, Action<MlflowExportTarget>? onResolved, TimeSpan? linger = null)
    {
        var builder = Sdk.CreateTracerProviderBuilder();
        if (stock)
        {
            return builder.AddSource(AgentTelemetry.SourceName).AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(mlflow.TrackingUri, "v1/traces");
                o.Headers = "x-mlflow-experiment-id=0";
            }).Build()!;
        }

        return builder.AddMlflowExporter(o =>
        {
            o.TrackingUri = mlflow.TrackingUri;
            o.OnResolved = onResolved;
            if (linger is { } value)
            {
                o.Delivery.ExportLinger = value;
            }
        }).Build()!;
    }

    /// <summary>One trace through the pipeline first, so connection set-up and JIT are not measured, then forgotten.</summary>
    private static void Warm(TracerProvider provider, FakeMlflowServer mlflow)
    {
        EmitTrace();
        provider.ForceFlush(30_000);
        mlflow.ClearRecords();
    }

    private static (string TraceId, long EndedAt) EmitTrace()
    {
        var root = AgentSpan.Start("RunAsync", agentName: "weather");
        root.SetInputsJson("""{"question":"What is the weather in Paris?"}""");
        for (var i = 0; i < 5; i++)
        {
            var tool = ToolSpan.Start("GetForecast");
            tool.SetInputsJson("""{"city":"Paris"}""");
            tool.SetOutputJson("""{"city":"Paris","temperatureC":18}""");
            tool.End();
        }

        var id = root.Activity!.TraceId.ToHexString();
        var at = Stopwatch.GetTimestamp();
        root.End();
        return (id, at);
    }

    private static void Report(string title, FakeMlflowServer mlflow, Dictionary<string, long> ended, int traces)
    {
        var received = new Dictionary<string, long>();
        foreach (var request in mlflow.TraceExports)
        {
            foreach (var span in request.Spans.Where(s => s.IsRoot))
            {
                received.TryAdd(span.TraceId, request.ReceivedTimestamp);
            }
        }

        var stored = mlflow.Traces;
        var whole = stored.Count(t => t.Spans.Count == 6 && t.Spans.Any(s => s.IsRoot));
        var withoutRoot = stored.Count(t => !t.Spans.Any(s => s.IsRoot));
        var delays = ended.Where(e => received.ContainsKey(e.Key))
            .Select(e => (received[e.Key] - e.Value) * 1000.0 / Stopwatch.Frequency).Order().ToList();
        Console.WriteLine($"{title}: {whole:N0} of {traces:N0} traces arrived whole ({mlflow.Spans.Count:N0} of {traces * 6:N0} spans, " +
            $"{withoutRoot} traces without their root) in {mlflow.TraceExports.Count:N0} requests");
        if (delays.Count > 0)
        {
            Console.WriteLine($"  time to visible (root end -> request received): median {Percentile(delays, 0.5):0.0} ms, " +
                $"p90 {Percentile(delays, 0.9):0.0} ms, max {delays[^1]:0.0} ms");
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    /// <summary>Samples the process's working set and GC heap every 10 ms.</summary>
    private sealed class PeakMemory
    {
        private readonly Thread _thread;
        private volatile bool _stop;

        public PeakMemory()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    PeakBytes = Math.Max(PeakBytes, Environment.WorkingSet);
                    PeakHeapBytes = Math.Max(PeakHeapBytes, GC.GetTotalMemory(false));
                    Thread.Sleep(10);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public long PeakBytes { get; private set; }

        public long PeakHeapBytes { get; private set; }

        public void Stop()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
