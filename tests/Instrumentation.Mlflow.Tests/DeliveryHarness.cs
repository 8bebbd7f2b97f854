using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Instrumentation.Mlflow;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>A provider exporting to a fake MLflow with delivery options for tests (short retries, no housekeeping
/// wake-ups), and traces to send through it.</summary>
internal sealed class DeliveryHarness : IDisposable
{
    private readonly TracerProvider _provider;
    private bool _disposed;

    public DeliveryHarness(Uri trackingUri, Action<MlflowDeliveryOptions>? delivery = null, ExportProcessorType processor = ExportProcessorType.Batch)
    {
        TrackingUri = trackingUri;
        var environment = new FakeEnvironment((MlflowEnvironmentVariables.TrackingUri, trackingUri.ToString()));
        _provider = Providers.WithMlflow(environment, o =>
        {
            o.VerifyExperimentId = false;
            o.ExportProcessorType = processor;
            o.OnResolved = t => Target = t;
            o.Delivery.FirstRetryDelay = TimeSpan.FromMilliseconds(10);
            o.Delivery.MaxRetryDelay = TimeSpan.FromMilliseconds(50);
            o.Delivery.RetryWindow = TimeSpan.FromSeconds(30);
            o.Delivery.AttemptTimeout = TimeSpan.FromSeconds(10);
            o.Delivery.LossWarningOutput = Warnings;

            // No wake-up but a root span's end: a trace that arrives was sent because its root ended.
            o.Delivery.HousekeepingInterval = TimeSpan.FromHours(2);
            delivery?.Invoke(o.Delivery);
        }).Build()!;
    }

    public Uri TrackingUri { get; }

    public StringWriter Warnings { get; } = new();

    public MlflowExportTarget? Target { get; private set; }

    public MlflowDeliveryCounters Counters => Target!.Delivery;

    public TracerProvider Provider => _provider;

    public string TracesEndpoint => new Uri(TrackingUri, "v1/traces").ToString();

    /// <summary>One trace: an AGENT root with <paramref name="children"/> TOOL spans; returns its trace id (32 hex).</summary>
    public static string EmitTrace(int children = 5, string name = "RunAsync")
    {
        var root = AgentSpan.Start(name, agentName: "weather");
        for (var i = 0; i < children; i++)
        {
            var tool = ToolSpan.Start("GetForecast");
            tool.SetInputsJson("""{"city":"Paris"}""");
            tool.End();
        }

        var traceId = root.Activity!.TraceId.ToHexString();
        root.End();
        return traceId;
    }

    /// <summary>Ends a trace's children but leaves the root open; ending the returned span finishes it.</summary>
    public static LiveSpan EmitOpenTrace(int children)
    {
        var previous = System.Diagnostics.Activity.Current;
        var root = AgentSpan.Start("Open", agentName: "weather");
        for (var i = 0; i < children; i++)
        {
            ToolSpan.Start("GetForecast").End();
        }

        // The root stays open but is no longer current, so the next trace does not nest in it.
        System.Diagnostics.Activity.Current = previous;
        return root;
    }

    /// <summary>Waits (at most 30 s) until <paramref name="condition"/> holds.</summary>
    public static bool Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 3000; i++)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return condition();
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _provider.Dispose();
        }
    }
}
