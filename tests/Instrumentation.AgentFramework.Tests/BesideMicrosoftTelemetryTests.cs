using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.AgentFramework.Tests;

/// <summary>
/// Our <c>UseMlflowTracing()</c> and Microsoft's <c>UseOpenTelemetry()</c> on the same agent, both sources exported:
/// MLflow must still show one span per agent run and exact token totals.
/// </summary>
public sealed class BesideMicrosoftTelemetryTests
{
    private static async Task<FakeMlflowServer> ExportAsync(bool microsoft, bool oursOutside = false, bool oursOnAgentOnly = false)
    {
        var mlflow = FakeMlflowServer.Start();
        using (var provider = WeatherScenario.Provider(mlflow))
        {
            await WeatherScenario.RunTwoTurnsAsync(WeatherScenario.Agent(WeatherScenario.Model(), microsoft, ours: true, oursOutside, oursOnAgentOnly));
            Assert.True(provider.ForceFlush(10_000));
        }

        return mlflow;
    }

    [Fact]
    public async Task Inside_Microsofts_agent_telemetry_ours_is_the_one_agent_span_and_theirs_is_dropped_with_ours_on_the_agent_only()
    {
        using var mlflow = await ExportAsync(microsoft: true, oursOnAgentOnly: true);

        Assert.Equal(2, mlflow.Traces.Count);
        foreach (var trace in mlflow.Traces)
        {
            var agents = trace.Spans.Where(s => s.SpanType == MlflowSpanTypes.Agent).ToList();
            var agent = Assert.Single(agents);
            Assert.Same(trace.Root, agent);
            Assert.Equal(AgentTelemetry.SourceName, agent.ScopeName);
            Assert.All(trace.Spans.Where(s => !s.IsRoot), s => Assert.Contains(trace.Spans, p => p.SpanId == s.ParentSpanId));
        }

        // Both turns in one MLflow session: our id, kept in the AgentSession.
        Assert.Single(mlflow.Traces.Select(t => t.Session).Distinct());
        Assert.Matches("^[0-9a-f]{32}$", mlflow.Traces[0].Session);

        // Function invocation groups the tool loop under its orchestrate_tools span, which has Microsoft's model and tool
        // spans as children, so it stays, as a CHAIN (with ours on the chat client too, it goes: the test below).
        var first = mlflow.Traces.Single(t => t.Spans.Any(s => s.SpanType == MlflowSpanTypes.Tool));
        Assert.Equal(["AGENT", "CHAIN", "LLM", "LLM", "TOOL", "TOOL"], first.Spans.Select(s => s.SpanType!).Order());
        Assert.Equal(WeatherScenario.InputTokens, mlflow.Traces.Sum(t => t.TokenUsage!.InputTokens));
        Assert.Equal(WeatherScenario.OutputTokens, mlflow.Traces.Sum(t => t.TokenUsage!.OutputTokens));
    }

    [Fact]
    public async Task Outside_Microsofts_agent_telemetry_the_token_totals_stay_exact()
    {
        using var mlflow = await ExportAsync(microsoft: true, oursOutside: true, oursOnAgentOnly: true);

        Assert.Equal(2, mlflow.Traces.Count);
        Assert.All(mlflow.Traces, t => Assert.Equal(AgentTelemetry.SourceName, t.Root!.ScopeName));
        Assert.Equal(WeatherScenario.InputTokens, mlflow.Traces.Sum(t => t.TokenUsage!.InputTokens));
        Assert.Equal(WeatherScenario.OutputTokens, mlflow.Traces.Sum(t => t.TokenUsage!.OutputTokens));
        Assert.All(mlflow.Traces.SelectMany(t => t.Spans), s => Assert.NotNull(s.SpanType));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public async Task With_ours_on_agent_and_chat_client_MLflow_shows_one_span_per_run_model_call_and_tool_call(bool microsoft, bool oursOutside)
    {
        using var mlflow = await ExportAsync(microsoft, oursOutside);

        Assert.Equal(2, mlflow.Traces.Count);
        var first = mlflow.Traces.Single(t => t.Spans.Count > 2);
        Assert.Equal(["AGENT", "LLM", "LLM", "TOOL", "TOOL"], first.Spans.Select(s => s.SpanType!).Order());
        Assert.All(first.Spans, s => Assert.Equal(AgentTelemetry.SourceName, s.ScopeName));
        Assert.All(first.Spans.Where(s => !s.IsRoot), s => Assert.Contains(first.Spans, p => p.SpanId == s.ParentSpanId));
        Assert.Equal(WeatherScenario.InputTokens, mlflow.Traces.Sum(t => t.TokenUsage!.InputTokens));
        Assert.Equal(WeatherScenario.OutputTokens, mlflow.Traces.Sum(t => t.TokenUsage!.OutputTokens));
        Assert.Single(mlflow.Traces.Select(t => t.Session).Distinct());
    }
}
