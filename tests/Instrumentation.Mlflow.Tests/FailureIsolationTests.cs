using System;
using System.Threading.Tasks;
using Instrumentation.Mlflow;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>Telemetry is fail-open: an MLflow server that is gone or failing never changes what the traced code does.</summary>
public sealed class FailureIsolationTests
{
    /// <summary>What a generated wrapper does around a method body.</summary>
    private static T Traced<T>(string name, Func<T> body)
    {
        var span = AgentSpan.Start(name);
        try
        {
            var tool = ToolSpan.Start("Lookup");
            tool.End();
            var result = body();
            span.SetOutput(result);
            return result;
        }
        catch (Exception ex)
        {
            span.SetError(ex);
            throw;
        }
        finally
        {
            span.End();
        }
    }

    [Theory]
    [InlineData(ExportProcessorType.Simple)]
    [InlineData(ExportProcessorType.Batch)]
    public async Task An_exporter_pointed_at_a_closed_port_changes_nothing_for_the_traced_method(ExportProcessorType processor)
    {
        var closedPort = LoopbackPorts.GetClosedPort();
        var environment = new FakeEnvironment(
            (MlflowEnvironmentVariables.TrackingUri, $"http://127.0.0.1:{closedPort}"),
            (MlflowEnvironmentVariables.ExperimentId, "1"));
        var failure = new InvalidOperationException("the method's own error");

        MlflowExportTarget? target = null;
        using var provider = Providers.WithMlflow(environment, o =>
        {
            o.VerifyExperimentId = false;
            o.ExportProcessorType = processor;
            o.OnResolved = t => target = t;

            // A short retry window keeps the test fast; the application thread of a Simple export waits for it.
            o.Delivery.RetryWindow = TimeSpan.FromMilliseconds(200);
            o.Delivery.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
            o.Delivery.LossWarningOutput = null;
        }).Build()!;

        var result = Traced("Compute", () => 42);
        var thrown = Assert.Throws<InvalidOperationException>(() => Traced<int>("Fail", () => throw failure));

        Assert.Equal(42, result);
        Assert.Same(failure, thrown);

        // ForceFlush reports the failed export (or not) but returns; it must not hang or throw.
        // (WaitAsync fails the test with a TimeoutException if it hangs.)
        await Task.Run(() => provider.ForceFlush(5_000), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        // ... and the loss is counted: both traces (two spans each), connection refused.
        Assert.Equal(2, target!.Delivery.TracesLostFor(MlflowLossReason.Unreachable));
        Assert.Equal(4, target.Delivery.SpansLostFor(MlflowLossReason.Unreachable));
        Assert.Equal("connection refused", target.Delivery.LastFailure);
    }

    [Fact]
    public void A_server_that_answers_errors_changes_nothing_for_the_traced_method()
    {
        using var mlflow = FakeMlflowServer.Start();
        mlflow.Intercept = request => request.RelativePath == "v1/traces" ? new FakeResponse(503, "overloaded", "text/plain") : null;
        var environment = new FakeEnvironment((MlflowEnvironmentVariables.TrackingUri, mlflow.TrackingUri.ToString()));

        MlflowExportTarget? target = null;
        using var provider = Providers.WithMlflow(environment, o =>
        {
            o.ExportProcessorType = ExportProcessorType.Simple;
            o.OnResolved = t => target = t;
            o.Delivery.RetryWindow = TimeSpan.FromMilliseconds(200);
            o.Delivery.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
            o.Delivery.LossWarningOutput = null;
        }).Build()!;
        var result = Traced("Compute", () => "answer");
        provider.ForceFlush(5_000);

        Assert.Equal("answer", result);

        // The spans did reach the server (which refused them): the failure was real and was swallowed.
        Assert.Contains(mlflow.TraceExports, r => r.ResponseStatus == 503);
        Assert.Empty(mlflow.Spans);
        Assert.Equal(1, target!.Delivery.TracesLostFor(MlflowLossReason.Rejected));
        Assert.Equal(2, target.Delivery.SpansLostFor(MlflowLossReason.Rejected));
        Assert.Equal(503, target.Delivery.LastRejectedStatus);
    }
}
