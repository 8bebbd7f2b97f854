using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using Instrumentation.Mlflow;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>Durable export across two runs, and the losses on the meter.</summary>
public sealed class DurableAndMetricsTests
{
    [Fact]
    public void Traces_kept_on_disk_while_MLflow_is_down_are_sent_by_the_next_start()
    {
        var directory = Path.Combine(Path.GetTempPath(), "mlflow-durable-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var mlflow = FakeMlflowServer.Start();
            mlflow.GoDown();
            var first = new DeliveryHarness(mlflow.TrackingUri, d =>
            {
                d.DurableDirectory = directory;
                d.RetryWindow = TimeSpan.FromMilliseconds(200);
            });
            var ids = Enumerable.Range(0, 3).Select(_ => DeliveryHarness.EmitTrace(children: 2)).ToList();
            Assert.True(first.Provider.ForceFlush(30_000));
            first.Dispose();

            Assert.Equal(3, first.Counters.TracesPersisted);
            Assert.Equal(9, first.Counters.SpansPersisted);
            Assert.Equal(0, first.Counters.TracesLost);
            Assert.Equal(string.Empty, first.Warnings.ToString());

            mlflow.ComeBack();
            using var second = new DeliveryHarness(mlflow.TrackingUri, d => d.DurableDirectory = directory);
            Assert.True(DeliveryHarness.Eventually(() => second.Counters.TracesResent == 3));

            Assert.Equal(ids.Order(), mlflow.Traces.Select(t => t.OtlpTraceId).Order());
            Assert.All(mlflow.Traces, t => Assert.Equal(3, t.Spans.Count));
            Assert.All(mlflow.TraceExports.Where(r => r.ResponseStatus == 200), r => Assert.Equal("0", r.Header("x-mlflow-experiment-id")));
            Assert.Equal(9, second.Counters.SpansResent);
            Assert.True(DeliveryHarness.Eventually(() => !Directory.EnumerateFiles(directory, "*.blob", SearchOption.AllDirectories).Any()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Losses_are_measured_on_the_meter_with_the_reason_and_status()
    {
        using var mlflow = FakeMlflowServer.Start();
        var measured = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MlflowDeliveryCounters.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            if (map.TryGetValue("server.port", out var port) && port is int p && p == mlflow.Port)
            {
                lock (measured)
                {
                    measured.Add((instrument.Name, value, map));
                }
            }
        });
        listener.Start();

        using (var harness = new DeliveryHarness(mlflow.TrackingUri, d => d.LossWarningOutput = null))
        {
            mlflow.FailNextExports(1, FakeFault.Status(400));
            DeliveryHarness.EmitTrace(children: 2);
            Assert.True(harness.Provider.ForceFlush(10_000));
            DeliveryHarness.EmitTrace(children: 1);
            Assert.True(harness.Provider.ForceFlush(10_000));
        }

        lock (measured)
        {
            var lost = Assert.Single(measured, m => m.Instrument == "mlflow.export.traces" && (string?)m.Tags["outcome"] == "lost");
            Assert.Equal(1, lost.Value);
            Assert.Equal("rejected", lost.Tags["reason"]);
            Assert.Equal(400, lost.Tags["http.response.status_code"]);
            Assert.Equal(3, measured.Single(m => m.Instrument == "mlflow.export.spans" && (string?)m.Tags["outcome"] == "lost").Value);
            Assert.Equal(2, measured.Single(m => m.Instrument == "mlflow.export.spans" && (string?)m.Tags["outcome"] == "delivered").Value);
            Assert.Equal(1, measured.Single(m => m.Instrument == "mlflow.export.traces" && (string?)m.Tags["outcome"] == "delivered").Value);
            Assert.DoesNotContain(measured, m => m.Instrument == "mlflow.export.retries");
        }
    }
}
