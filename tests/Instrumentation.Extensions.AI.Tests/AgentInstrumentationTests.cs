using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary><c>AddAgentInstrumentation()</c>: the project's spans on a tracer provider with any exporter, no MLflow.</summary>
public sealed class AgentInstrumentationTests
{
    [Fact]
    public async Task AddAgentInstrumentation_enables_the_spans_for_any_exporter()
    {
        var received = new Collecting();
        using (var provider = Sdk.CreateTracerProviderBuilder().AddAgentInstrumentation().AddProcessor(received).Build()!)
        {
            await WeatherAgent.RunSessionAsync(WeatherAgent.Model().AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build(), WeatherAgent.PlainTool());
        }

        Assert.Equal(new[] { "AGENT", "AGENT", "LLM", "LLM", "LLM", "TOOL", "TOOL" },
            received.Spans.Select(s => s.Tag(MlflowAttributes.SpanType)).OrderBy(t => t));
    }

    [Fact]
    public async Task Without_it_a_provider_receives_none_of_them()
    {
        var received = new Collecting();
        using (var provider = Sdk.CreateTracerProviderBuilder().AddProcessor(received).Build()!)
        {
            await WeatherAgent.RunSessionAsync(WeatherAgent.Model().AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build(), WeatherAgent.PlainTool());
        }

        Assert.Empty(received.Spans);
    }

    private sealed class Collecting : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override void OnEnd(Activity data) => Spans.Enqueue(data);
    }
}
