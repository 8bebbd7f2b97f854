using System;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Mlflow;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>Delivery through the trace processor against a fake MLflow that fails on purpose: exact counts of what
/// arrived and of what was reported lost.</summary>
public sealed class DeliveryTests
{
    [Fact]
    public async Task A_lone_trace_is_sent_when_its_root_ends_without_a_flush_or_a_timer()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var harness = new DeliveryHarness(mlflow.TrackingUri);

        var traceId = DeliveryHarness.EmitTrace(children: 3);

        // No ForceFlush and no timer (housekeeping is set to hours): the root's end alone sends the trace.
        Assert.True(await mlflow.WaitForSpansAsync(4, TimeSpan.FromSeconds(30)));
        var export = Assert.Single(mlflow.TraceExports);
        Assert.Equal(4, export.Spans.Count);
        Assert.Equal("OK", mlflow.Trace(traceId).State);
        Assert.True(DeliveryHarness.Eventually(() => harness.Counters.TracesDelivered == 1));
        Assert.Equal(4, harness.Counters.SpansDelivered);
    }

    [Fact]
    public void Children_wait_for_their_root_and_go_with_it_in_one_request()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var harness = new DeliveryHarness(mlflow.TrackingUri);

        var root = DeliveryHarness.EmitOpenTrace(children: 4);
        Assert.True(harness.Provider.ForceFlush(10_000));
        Assert.Empty(mlflow.TraceExports);

        root.End();
        Assert.True(harness.Provider.ForceFlush(10_000));
        var export = Assert.Single(mlflow.TraceExports);
        Assert.Equal(5, export.Spans.Count);
        Assert.Single(export.Spans, s => s.IsRoot);
    }

    [Fact]
    public void A_burst_arrives_whole_with_the_default_bounds()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var harness = new DeliveryHarness(mlflow.TrackingUri);
        const int TracesPerThread = 500;

        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < TracesPerThread; i++)
            {
                DeliveryHarness.EmitTrace(children: 5);
            }
        });
        Assert.True(harness.Provider.ForceFlush(60_000));

        Assert.Equal(4 * TracesPerThread * 6, mlflow.Spans.Count);
        var traces = mlflow.Traces;
        Assert.Equal(4 * TracesPerThread, traces.Count);
        Assert.All(traces, t => Assert.Equal("OK", t.State));
        Assert.All(traces, t => Assert.Equal(6, t.Spans.Count));
        Assert.Equal(4 * TracesPerThread, harness.Counters.TracesDelivered);
        Assert.Equal(0, harness.Counters.TracesLost);

        // Whole traces per request: no request carries a child without its root.
        Assert.All(mlflow.TraceExports, r => Assert.Equal(r.Spans.Count, r.Spans.Count(s => s.IsRoot) * 6));
    }

    [Fact]
    public void When_the_queue_is_full_whole_traces_are_dropped_and_counted()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var harness = new DeliveryHarness(mlflow.TrackingUri, d =>
        {
            d.MaxQueuedSpans = 6;
            d.QueueFullWait = TimeSpan.Zero;
        });
        mlflow.FailEveryExport(FakeFault.Hang);

        // Trace 1 is sent and hangs, holding its 3 spans; trace 2 fills the queue; traces 3 and 4 find no room.
        var first = DeliveryHarness.EmitTrace(children: 2);
        Assert.True(DeliveryHarness.Eventually(() => mlflow.HungExports == 1));
        var second = DeliveryHarness.EmitTrace(children: 2);
        DeliveryHarness.EmitTrace(children: 2);
        DeliveryHarness.EmitTrace(children: 2);

        mlflow.FailEveryExport(null);
        mlflow.ReleaseHungExports();
        Assert.True(harness.Provider.ForceFlush(30_000));

        Assert.True(mlflow.Traces.Count == 2, harness.Counters + " / " + string.Join(",", mlflow.Traces.Select(t => t.OtlpTraceId + ":" + t.Spans.Count)) + " first " + first + " second " + second);
        Assert.Equal(new[] { first, second }.Order(), mlflow.Traces.Select(t => t.OtlpTraceId).Order());
        Assert.All(mlflow.Traces, t => Assert.Equal(3, t.Spans.Count));
        Assert.Equal(2, harness.Counters.TracesDelivered);
        Assert.Equal(2, harness.Counters.TracesLostFor(MlflowLossReason.QueueFull));
        Assert.Equal(6, harness.Counters.SpansLostFor(MlflowLossReason.QueueFull));
        Assert.Equal(4, harness.Counters.TracesEnded);
    }

    [Fact]
    public void An_MLflow_restart_loses_nothing()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var harness = new DeliveryHarness(mlflow.TrackingUri);
        mlflow.GoDown();

        for (var i = 0; i < 20; i++)
        {
            DeliveryHarness.EmitTrace(children: 5);
        }

        Assert.True(DeliveryHarness.Eventually(() => harness.Counters.Retries >= 3));
        mlflow.ComeBack();
        Assert.True(harness.Provider.ForceFlush(30_000));

        Assert.Equal(20, mlflow.Traces.Count);
        Assert.Equal(120, mlflow.Spans.Count);
        Assert.Equal(20, harness.Counters.TracesDelivered);
        Assert.Equal(0, harness.Counters.TracesLost);
        harness.Dispose();
        Assert.Equal(string.Empty, harness.Warnings.ToString());
    }

    [Fact]
    public void Error_answers_429_and_503_are_retried_and_Retry_After_is_honoured()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var harness = new DeliveryHarness(mlflow.TrackingUri);
        mlflow.FailNextExports(2, FakeFault.Status(503));
        mlflow.FailNextExports(1, FakeFault.Status(429, retryAfterSeconds: 1));
        mlflow.FailNextExports(1, FakeFault.Reset);

        DeliveryHarness.EmitTrace(children: 2);
        Assert.True(harness.Provider.ForceFlush(30_000));

        var exports = mlflow.TraceExports;
        Assert.True(exports.Count == 5, harness.Counters + " / " + harness.Counters.LastFailure);
        Assert.Equal(new[] { 503, 503, 429, 0, 200 }, exports.Select(r => r.ResponseStatus));
        Assert.Equal(3, mlflow.Spans.Count);
        Assert.Equal(4, harness.Counters.Retries);
        Assert.Equal(1, harness.Counters.TracesDelivered);

        // The attempt after the 429 waited for its Retry-After of 1 s (a lower bound, never an upper one).
        var waited = TimeSpan.FromSeconds((exports[3].ReceivedTimestamp - exports[2].ReceivedTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency);
        Assert.True(waited >= TimeSpan.FromMilliseconds(950), $"waited {waited}");
    }

    [Fact]
    public void A_status_that_is_not_retried_loses_the_trace_once_and_says_which()
    {
        using var mlflow = FakeMlflowServer.Start();
        var experiment = mlflow.CreateExperiment("gone");
        var environment = new FakeEnvironment(
            (MlflowEnvironmentVariables.TrackingUri, mlflow.TrackingUri.ToString()),
            (MlflowEnvironmentVariables.ExperimentId, experiment));
        var warnings = new System.IO.StringWriter();
        MlflowExportTarget? target = null;
        using (var provider = Providers.WithMlflow(environment, o =>
        {
            o.OnResolved = t => target = t;
            o.Delivery.LossWarningOutput = warnings;
        }).Build()!)
        {
            mlflow.DeleteExperiment(experiment);
            DeliveryHarness.EmitTrace(children: 1);
            Assert.True(provider.ForceFlush(10_000));
        }

        Assert.Single(mlflow.TraceExports);
        var counters = target!.Delivery;
        Assert.Equal(1, counters.TracesLostFor(MlflowLossReason.Rejected));
        Assert.Equal(2, counters.SpansLostFor(MlflowLossReason.Rejected));
        Assert.Equal(404, counters.LastRejectedStatus);
        Assert.Equal(0, counters.Retries);
        Assert.Equal(
            $"warning: 1 of 1 traces could not be delivered to MLflow at {target.TracesEndpoint}: MLflow answered 404 Not Found: " +
            $"{{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Experiment with id \\u0027{experiment}\\u0027 does not exist.\"}}" + Environment.NewLine,
            warnings.ToString());
    }

    [Fact]
    public void A_server_down_past_the_retry_window_loses_the_traces_and_the_shutdown_line_says_why()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.GetClosedPort()}/");
        var harness = new DeliveryHarness(closed, d => d.RetryWindow = TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < 3; i++)
        {
            DeliveryHarness.EmitTrace(children: 1);
        }

        Assert.True(harness.Provider.ForceFlush(30_000));
        harness.Dispose();

        Assert.Equal(3, harness.Counters.TracesLostFor(MlflowLossReason.Unreachable));
        Assert.Equal(6, harness.Counters.SpansLost);
        Assert.Equal(0, harness.Counters.TracesDelivered);
        Assert.True(harness.Counters.Retries > 0);
        Assert.Equal($"warning: 3 of 3 traces could not be delivered to MLflow at {harness.TracesEndpoint}: connection refused" + Environment.NewLine,
            harness.Warnings.ToString());
    }

    [Fact]
    public void A_hung_server_bounds_the_shutdown_and_counts_what_was_not_sent()
    {
        using var mlflow = FakeMlflowServer.Start();
        mlflow.FailEveryExport(FakeFault.Hang);
        var harness = new DeliveryHarness(mlflow.TrackingUri, d =>
        {
            d.AttemptTimeout = TimeSpan.FromMinutes(10);
            d.RetryWindow = TimeSpan.FromMinutes(30);
        });

        DeliveryHarness.EmitTrace(children: 2);
        Assert.True(DeliveryHarness.Eventually(() => mlflow.HungExports == 1));
        DeliveryHarness.EmitTrace(children: 2);

        Assert.False(harness.Provider.Shutdown(300));

        Assert.Equal(2, harness.Counters.TracesLostFor(MlflowLossReason.ShutdownTimeout));
        Assert.Equal(6, harness.Counters.SpansLostFor(MlflowLossReason.ShutdownTimeout));
        Assert.Empty(mlflow.Spans);
        Assert.StartsWith("warning: 2 of 2 traces could not be delivered to MLflow at ", harness.Warnings.ToString(), StringComparison.Ordinal);
        harness.Dispose();
    }

    [Fact]
    public void Traces_whose_root_never_ended_are_counted_incomplete_at_shutdown_and_not_sent()
    {
        using var mlflow = FakeMlflowServer.Start();
        var harness = new DeliveryHarness(mlflow.TrackingUri);
        var open = DeliveryHarness.EmitOpenTrace(children: 3);
        DeliveryHarness.EmitTrace(children: 1);

        harness.Dispose();

        Assert.Single(mlflow.Traces);
        Assert.Equal(1, harness.Counters.TracesLostFor(MlflowLossReason.Incomplete));
        Assert.Equal(3, harness.Counters.SpansLostFor(MlflowLossReason.Incomplete));
        open.End();
    }
}
