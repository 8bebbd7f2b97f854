using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing.FakeMlflow;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>
/// The weather session of the issue, traced with <c>UseMlflowTracing()</c> and sent with <c>AddMlflowExporter()</c> to the
/// strict fake MLflow server: what MLflow would show for each of the things Microsoft's own telemetry got wrong.
/// </summary>
public sealed class MlflowExportTests
{
    [Fact]
    public async Task The_weather_session_arrives_in_MLflow_with_span_types_session_single_counted_tokens_chat_view_and_tools()
    {
        using var mlflow = FakeMlflowServer.Start();
        var experimentId = mlflow.CreateExperiment("meai");
        var client = WeatherAgent.Model().AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build();

        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddMlflowExporter(o =>
            {
                o.TrackingUri = mlflow.TrackingUri;
                o.ExperimentId = experimentId;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build()!)
        {
            await WeatherAgent.RunSessionAsync(client, WeatherAgent.PlainTool());
            Assert.True(provider.ForceFlush(10_000));
        }

        Assert.All(mlflow.TraceExports, r => Assert.Equal(200, r.ResponseStatus));
        var traces = mlflow.Traces.OrderBy(t => t.Root!.StartTimeUnixNano).ToList();
        Assert.Equal(2, traces.Count);

        // Span types (bare, so span.type = 'LLM' finds them), one session, names.
        Assert.Equal(new[] { "AGENT", "LLM", "TOOL", "TOOL", "LLM" }, traces[0].Spans.OrderBy(s => s.StartTimeUnixNano).Select(s => s.SpanType));
        Assert.Equal(new[] { "AGENT", "LLM" }, traces[1].Spans.OrderBy(s => s.StartTimeUnixNano).Select(s => s.SpanType));
        Assert.All(traces, t =>
        {
            Assert.Equal("weather_turn", t.Name);
            Assert.Equal("chat-42", t.Session);
            Assert.Equal("alice", t.User);
            Assert.Equal("OK", t.State);
            Assert.Equal(experimentId, t.ExperimentId);
        });

        // Tokens: the trace total is the sum of its model calls, counted once.
        Assert.Equal(new FakeTokenUsage(720, 60, 780, 256, 0), traces[0].TokenUsage);
        Assert.Equal(new FakeTokenUsage(460, 9, 469, 384, 0), traces[1].TokenUsage);

        // The chat view and the tools list on every LLM span.
        var llms = traces.SelectMany(t => t.Spans).Where(s => s.SpanType == "LLM").ToList();
        Assert.Equal(3, llms.Count);
        Assert.All(llms, llm =>
        {
            Assert.Equal("openai", llm.Attribute(MlflowAttributes.MessageFormat));
            Assert.Equal("openai", llm.Attribute(MlflowAttributes.LlmProvider));
            Assert.Equal("gpt-4o-mini-2024-07-18", llm.Attribute(MlflowAttributes.LlmModel));
            using var inputs = JsonDocument.Parse(llm.Attribute(MlflowAttributes.SpanInputs)!);
            var first = inputs.RootElement.GetProperty("messages")[0];
            Assert.Equal("system", first.GetProperty("role").GetString());
            Assert.Equal(WeatherAgent.Instructions, first.GetProperty("content").GetString());
            using var outputs = JsonDocument.Parse(llm.Attribute(MlflowAttributes.SpanOutputs)!);
            Assert.Equal("assistant", outputs.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("role").GetString());

            using var tools = JsonDocument.Parse(llm.Attribute(MlflowAttributes.ChatTools)!);
            var tool = Assert.Single(tools.RootElement.EnumerateArray().ToList());
            Assert.Equal("function", tool.GetProperty("type").GetString());
            var function = tool.GetProperty("function");
            Assert.Equal("get_forecast", function.GetProperty("name").GetString());
            Assert.Equal("Gets today's forecast for a city.", function.GetProperty("description").GetString());
            Assert.Equal("object", function.GetProperty("parameters").GetProperty("type").GetString());
        });

        // The failed tool call: an error with the exception event MLflow shows, including its stack trace.
        var failed = traces[0].Spans.Single(s => s.SpanType == "TOOL" && s.Status == ReceivedStatus.Error);
        Assert.Equal("City not found: Atlantis", failed.StatusMessage);
        Assert.Equal("call_2", failed.Attribute(GenAiAttributes.ToolCallId));
        var exception = Assert.Single(failed.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Contains(nameof(WeatherAgent.Forecast), exception.Attributes["exception.stacktrace"] as string, StringComparison.Ordinal);
        Assert.All(traces[0].Spans.Where(s => !s.IsRoot), s => Assert.Equal(traces[0].Root!.SpanId, s.ParentSpanId));
    }
}
