using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Instrumentation.Testing;
using Instrumentation.Testing.FakeMlflow;

namespace EndToEnd.Tests;

/// <summary>
/// Runs the AgentDemo as a user would, with MLFLOW_TRACKING_URI pointing at a fake MLflow server that accepts exactly
/// what a real one does, and checks the trace as MLflow would show it.
/// </summary>
public sealed class DemoTraceTests
{
    internal static string DemoAssembly => SampleAssembly("AgentDemo");

    /// <summary>The built assembly of the sample <paramref name="name"/> (samples/&lt;name&gt;), in this test run's configuration.</summary>
    internal static string SampleAssembly(string name)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(RepositoryPaths.Root, "samples", name, "bin", configuration, "net10.0", name + ".dll");
    }

    private static async Task<(int ExitCode, string Output)> RunDemoAsync(FakeMlflowServer mlflow, string experimentName)
    {
        var environment = new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = mlflow.TrackingUri.ToString(),
            ["MLFLOW_EXPERIMENT_NAME"] = experimentName,
            ["MLFLOW_EXPERIMENT_ID"] = null,
            ["OPENAI_BASE_URL"] = null,
            ["OPENAI_API_KEY"] = null,
            ["OPENAI_MODEL"] = null,
        };
        return await ChildProcess.RunAsync("dotnet", [DemoAssembly], RepositoryPaths.Root, environment, TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task The_demo_trace_reaches_mlflow_with_span_types_chat_view_usage_and_the_failed_tool()
    {
        using var mlflow = FakeMlflowServer.Start();

        var (exitCode, output) = await RunDemoAsync(mlflow, "agent-demo");

        Assert.True(exitCode == 0, "The demo failed:\n" + output);
        var experiment = Assert.Single(mlflow.Experiments, e => e.Name == "agent-demo");
        var trace = Assert.Single(mlflow.Traces);
        Assert.Equal(experiment.Id, trace.ExperimentId);
        Assert.Equal("OK", trace.State);
        Assert.Equal("RunAsync", trace.Name);
        Assert.Contains("Paris and Atlantis", trace.RequestPreview);
        Assert.Contains("Paris: sunny", trace.ResponsePreview);
        Assert.Equal("demo-session", trace.Session);
        Assert.Equal(Environment.UserName, trace.User);

        // AGENT > LLM, TOOL (ok), TOOL (error), LLM, TOOL, LLM: all children of the root, in start order.
        var children = trace.ChildrenOf(trace.Root!).OrderBy(s => s.StartTimeUnixNano).ToList();
        Assert.Equal("AGENT", trace.Root!.SpanType);
        Assert.Equal(
            ["LLM CompleteAsync", "TOOL get_forecast", "TOOL get_forecast", "LLM CompleteAsync", "TOOL convert_temperature", "LLM CompleteAsync"],
            children.Select(s => s.SpanType + " " + s.Name));
        Assert.Equal(ReceivedStatus.Ok, children[1].Status);
        Assert.Equal(ReceivedStatus.Error, children[2].Status);
        Assert.Equal("City not found: Atlantis", children[2].StatusMessage);
        Assert.Contains(children[2].Events, e => e.Name == "exception");

        // Every LLM span: the chat view, the model, its own usage with the cached part; their sum is the trace's total.
        var llmSpans = children.Where(s => s.SpanType == "LLM").ToList();
        var usages = llmSpans.Select(s => JsonDocument.Parse(s.Attribute("mlflow.chat.tokenUsage")!).RootElement).ToList();
        Assert.All(llmSpans, llm =>
        {
            Assert.Equal("openai", llm.Attribute("mlflow.message.format"));
            Assert.Equal("offline-weather-1", llm.Attribute("mlflow.llm.model"));
            Assert.StartsWith("{\"messages\":[{\"role\":\"system\"", llm.Attribute("mlflow.spanInputs"));
            Assert.StartsWith("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"", llm.Attribute("mlflow.spanOutputs"));
        });
        Assert.Equal(0, usages[0].GetProperty("cache_read_input_tokens").GetInt64());
        Assert.True(usages[1].GetProperty("cache_read_input_tokens").GetInt64() > 0);
        Assert.True(usages[2].GetProperty("cache_read_input_tokens").GetInt64() > usages[1].GetProperty("cache_read_input_tokens").GetInt64());
        Assert.Equal(usages.Sum(u => u.GetProperty("input_tokens").GetInt64()), trace.TokenUsage!.InputTokens);
        Assert.Equal(usages.Sum(u => u.GetProperty("output_tokens").GetInt64()), trace.TokenUsage.OutputTokens);
        Assert.Equal(usages.Sum(u => u.GetProperty("cache_read_input_tokens").GetInt64()), trace.TokenUsage.CacheReadInputTokens);

        // The console tree is printed too.
        Assert.Contains("├─ TOOL get_forecast", output);
    }

    [Fact]
    public async Task An_unknown_experiment_id_stops_the_demo_at_startup_naming_the_variable_and_the_value()
    {
        using var mlflow = FakeMlflowServer.Start();
        var environment = new Dictionary<string, string?>
        {
            ["MLFLOW_TRACKING_URI"] = mlflow.TrackingUri.ToString(),
            ["MLFLOW_EXPERIMENT_ID"] = "424242",
            ["MLFLOW_EXPERIMENT_NAME"] = null,
            ["OPENAI_BASE_URL"] = null,
            ["OPENAI_API_KEY"] = null,
            ["OPENAI_MODEL"] = null,
        };

        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", [DemoAssembly], RepositoryPaths.Root, environment, TimeSpan.FromMinutes(2));

        Assert.Equal(2, exitCode);
        Assert.Contains("MLFLOW_EXPERIMENT_ID", output);
        Assert.Contains("424242", output);
        Assert.Empty(mlflow.TraceExports);
    }
}
