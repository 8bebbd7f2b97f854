using System;
using System.Diagnostics;
using System.Threading;
using Instrumentation.Mlflow.Delivery;
using Instrumentation.Runtime;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>The app-thread side of sending at root end (issue 16): a busy application does not pay a kernel wake-up
/// per trace, and a trace after a quiet spell still wakes the export thread at once.</summary>
public sealed class ExportThreadWakeupTests
{
    [Fact]
    public void Traces_ending_a_few_milliseconds_apart_wake_the_export_thread_a_handful_of_times_not_once_each()
    {
        using var exporter = new CountingExporter();
        var processor = NewProcessor(exporter);
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(AgentTelemetry.SourceName).AddProcessor(processor).Build())
        {
            // A steady application: a trace every ~2 ms. The export thread finishes each trace long before the next one
            // ends, so without lingering it would be asleep, and each root's end would pay a kernel wake-up.
            const int traces = 200;
            for (var i = 0; i < traces; i++)
            {
                DeliveryHarness.EmitTrace(children: 2);
                Thread.Sleep(2);
            }

            Assert.True(provider.ForceFlush(30_000));
            Assert.Equal(traces * 3, exporter.Spans);

            // The first root wakes the sleeping thread; after that it lingers and polls while the traces keep coming.
            // More wake-ups happen only if this thread is descheduled for longer than the linger (100 ms).
            Assert.InRange(processor.WakeSignals, 1, 20);
        }
    }

    [Fact]
    public void A_trace_after_a_quiet_spell_wakes_the_sleeping_export_thread_and_is_sent()
    {
        using var exporter = new CountingExporter();
        var processor = NewProcessor(exporter);
        using var provider = Sdk.CreateTracerProviderBuilder().AddSource(AgentTelemetry.SourceName).AddProcessor(processor).Build();

        DeliveryHarness.EmitTrace(children: 1);
        Assert.True(DeliveryHarness.Eventually(() => exporter.Spans == 2));
        var before = processor.WakeSignals;

        // After the linger (100 ms) the export thread sleeps until signalled.
        Assert.True(DeliveryHarness.Eventually(() => processor.ExportThreadSleeps));
        DeliveryHarness.EmitTrace(children: 1);

        // No flush: only the root's signal can make the sleeping thread send it (housekeeping is hours away).
        Assert.True(DeliveryHarness.Eventually(() => exporter.Spans == 4));
        Assert.Equal(before + 1, processor.WakeSignals);
    }

    [Fact]
    public void Without_the_linger_the_same_pace_pays_a_wake_up_per_trace()
    {
        // The control for the first test: it shows that pace really leaves the export thread asleep between traces.
        using var exporter = new CountingExporter();
        var processor = NewProcessor(exporter, linger: TimeSpan.Zero);
        using (var provider = Sdk.CreateTracerProviderBuilder().AddSource(AgentTelemetry.SourceName).AddProcessor(processor).Build())
        {
            for (var i = 0; i < 200; i++)
            {
                DeliveryHarness.EmitTrace(children: 2);
                Thread.Sleep(2);
            }

            Assert.True(provider.ForceFlush(30_000));
            Assert.Equal(600, exporter.Spans);
            Assert.True(processor.WakeSignals >= 100, $"{processor.WakeSignals} wake-ups for 200 traces");
        }
    }

    private static TraceExportProcessor NewProcessor(BaseExporter<Activity> exporter, TimeSpan? linger = null)
    {
        var options = new MlflowDeliveryOptions { LossWarningOutput = null, HousekeepingInterval = TimeSpan.FromHours(2) };
        if (linger is { } value)
        {
            options.ExportLinger = value;
        }

        return new TraceExportProcessor(exporter, new DeliveryContext(options, new Uri("http://127.0.0.1:9/v1/traces"), "0", null));
    }

    private sealed class CountingExporter : BaseExporter<Activity>
    {
        private int _spans;

        public int Spans => Volatile.Read(ref _spans);

        public override ExportResult Export(in Batch<Activity> batch)
        {
            Interlocked.Add(ref _spans, (int)batch.Count);
            return ExportResult.Success;
        }
    }
}
