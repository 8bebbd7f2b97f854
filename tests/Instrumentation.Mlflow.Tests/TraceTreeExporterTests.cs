using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Instrumentation.Mlflow;
using Instrumentation.Runtime.Spans;
using Instrumentation.Runtime.Usage;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static Instrumentation.Mlflow.Tests.TraceTreeFormatterTests;

namespace Instrumentation.Mlflow.Tests;

/// <summary>The console exporter: when traces are printed, and that they are printed whole.</summary>
public sealed class TraceTreeExporterTests
{
    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private static (TraceTreeExporter Exporter, StringWriter Output) NewExporter(Action<TraceTreeOptions>? configure = null)
    {
        var output = new StringWriter();
        var options = new TraceTreeOptions { Output = output, ShowInputsAndOutputs = false };
        configure?.Invoke(options);
        return (new TraceTreeExporter(options), output);
    }

    [Fact]
    public void Concurrent_traces_are_printed_separately_each_when_its_root_ends()
    {
        var (exporter, output) = NewExporter();

        exporter.Add(Span("a2", "a1", "TOOL", "SlowTool", 1, 30));
        exporter.Add(Span("b2", "b1", "LLM", "QuickCall", 3, 2, trace: TraceB));
        Assert.Equal(string.Empty, output.ToString());

        exporter.Add(Span("b1", null, "AGENT", "QuickAgent", 2, 5, trace: TraceB));
        exporter.Add(Span("a3", "a1", "LLM", "Answer", 40, 5));
        exporter.Add(Span("a1", null, "AGENT", "SlowAgent", 0, 50));

        Assert.Equal(
            Lines(
                "trace tr-00f067aa0ba902b7a3ce929d0e0e4736 · 2 spans",
                "AGENT QuickAgent · 5 ms · OK",
                "└─ LLM QuickCall · 2 ms · OK",
                string.Empty,
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 3 spans",
                "AGENT SlowAgent · 50 ms · OK",
                "├─ TOOL SlowTool · 30 ms · OK",
                "└─ LLM Answer · 5 ms · OK",
                string.Empty),
            output.ToString());
        Assert.Equal(0, exporter.BufferedSpanCount);
    }

    [Fact]
    public void A_flush_prints_unfinished_traces_as_incomplete_and_later_spans_as_a_continuation()
    {
        var (exporter, output) = NewExporter();
        exporter.Add(Span("2", "1", "TOOL", "Search", 1, 4));

        Assert.True(exporter.ForceFlush(1000));
        exporter.Add(Span("1", null, "AGENT", "Run", 0, 20));

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 1 span · INCOMPLETE: root span not ended",
                "TOOL Search · 4 ms · OK · parent not seen",
                string.Empty,
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 (continued) · 1 span · ended after the trace was printed",
                "AGENT Run · 20 ms · OK",
                string.Empty),
            output.ToString());
    }

    [Fact]
    public void Shutdown_prints_what_is_still_buffered()
    {
        var (exporter, output) = NewExporter();
        exporter.Add(Span("2", "1", "LLM", "Stream", 1, 4));

        Assert.True(exporter.Shutdown(1000));

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 1 span · INCOMPLETE: root span not ended",
                "LLM Stream · 4 ms · OK · parent not seen",
                string.Empty),
            output.ToString());
    }

    [Fact]
    public void A_full_buffer_prints_the_oldest_trace_early()
    {
        var (exporter, output) = NewExporter(o => o.MaxBufferedSpans = 2);
        exporter.Add(Span("a2", "a1", "TOOL", "Old", 1, 1));
        exporter.Add(Span("b2", "b1", "TOOL", "New", 2, 1, trace: TraceB));
        Assert.Equal(string.Empty, output.ToString());

        exporter.Add(Span("b3", "b1", "TOOL", "Newer", 3, 1, trace: TraceB));

        Assert.Equal(
            Lines(
                "trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 1 span · INCOMPLETE: root span not ended, printed early (buffer full)",
                "TOOL Old · 1 ms · OK · parent not seen",
                string.Empty),
            output.ToString());
        Assert.Equal(2, exporter.BufferedSpanCount);
    }

    [Fact]
    public void Later_changes_to_the_options_object_do_not_change_the_exporter()
    {
        var first = new StringWriter();
        var options = new TraceTreeOptions { Output = first, ShowInputsAndOutputs = false };
        var exporter = new TraceTreeExporter(options);
        options.Output = new StringWriter();
        options.UseColor = true;

        exporter.Add(Span("1", null, "TOOL", "Solo", 0, 1));

        Assert.Equal(Lines("trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 1 span", "TOOL Solo · 1 ms · OK", string.Empty), first.ToString());
    }

    [Fact]
    public void Prints_runtime_spans_through_a_tracer_provider()
    {
        var output = new StringWriter();
        using (var provider = Sdk.CreateTracerProviderBuilder().AddTraceTreeConsoleExporter(o => o.Output = output).Build()!)
        {
            MlflowExportTests.RunAgent();

            // The tree is printed as soon as the root ends: no flush needed.
            Assert.NotEqual(string.Empty, output.ToString());
        }

        var traceId = Regex.Match(output.ToString(), "^trace tr-([0-9a-f]{32}) ").Groups[1].Value;
        var normalized = Regex.Replace(output.ToString(), @" · (<1 µs|[0-9.]+ (µs|ms|s))(?![a-z])", " · <duration>");
        Assert.Equal(
            Lines(
                $"trace tr-{traceId} · 4 spans · tokens 1200 in (800 cached) / 30 out",
                "AGENT RunAsync · <duration> · OK · session chat-42",
                "│  in:  {\"question\":\"What is the weather in Paris?\"}",
                "│  out: \"It is 18 °C and sunny in Paris.\"",
                "├─ LLM CompleteAsync · <duration> · OK · gpt-4o-mini · tokens 1200 in (800 cached) / 30 out",
                "├─ TOOL GetForecast · <duration> · OK",
                "│     in:  {\"city\":\"Paris\"}",
                "│     out: {\"city\":\"Paris\",\"temperatureC\":18}",
                "└─ TOOL GetForecast · <duration> · ERROR City not found: Atlantis",
                "      in:  {\"city\":\"Atlantis\"}",
                string.Empty),
            normalized);
    }

    [Fact]
    public void A_failing_output_loses_the_text_not_the_traced_work()
    {
        var output = new ThrowingWriter();
        using var provider = Sdk.CreateTracerProviderBuilder().AddTraceTreeConsoleExporter(o => o.Output = output).Build()!;

        var span = LlmSpan.Start("Call");
        span.SetUsage(new TokenUsage { InputTokens = 1, OutputTokens = 1 });
        span.End();
        var agent = AgentSpan.Start("Run");
        agent.End();

        Assert.Equal(2, output.Attempts);
        Assert.Equal(ActivityStatusCode.Ok, agent.Activity!.Status);
    }

    private sealed class ThrowingWriter : StringWriter
    {
        public int Attempts { get; private set; }

        public override void Write(string? value)
        {
            Attempts++;
            throw new IOException("The pipe is closed.");
        }
    }
}
