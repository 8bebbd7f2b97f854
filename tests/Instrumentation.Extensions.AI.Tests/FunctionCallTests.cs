using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>The TOOL spans of the functions a <see cref="FunctionInvokingChatClient"/> invokes, in every placement.</summary>
public sealed class FunctionCallTests
{
    public enum Placement
    {
        /// <summary><c>UseFunctionInvocation().UseMlflowTracing()</c>: the tracing client inside the function-invoking one.</summary>
        Inside,

        /// <summary><c>UseMlflowTracing().UseFunctionInvocation()</c>: the tracing client outside it.</summary>
        Outside,

        /// <summary>Both at once.</summary>
        Both,
    }

    private static IChatClient Build(IChatClient model, Placement placement) => placement switch
    {
        Placement.Inside => model.AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build(),
        Placement.Outside => model.AsBuilder().UseMlflowTracing().UseFunctionInvocation().Build(),
        _ => model.AsBuilder().UseMlflowTracing().UseFunctionInvocation().UseMlflowTracing().Build(),
    };

    [Theory]
    [InlineData(Placement.Inside)]
    [InlineData(Placement.Outside)]
    [InlineData(Placement.Both)]
    public async Task Each_function_call_is_one_TOOL_span_under_the_callers_span(Placement placement)
    {
        using var spans = new SpanCollector();
        await WeatherAgent.RunSessionAsync(Build(WeatherAgent.Model(), placement), WeatherAgent.PlainTool());

        var turn = spans.OfType(MlflowSpanTypes.Agent)[0];
        var tools = spans.OfType(MlflowSpanTypes.Tool);
        Assert.Equal(2, tools.Count);
        Assert.All(tools, t =>
        {
            Assert.Equal("get_forecast", t.DisplayName);
            Assert.Equal(turn.SpanId, t.ParentSpanId);
            Assert.Equal("execute_tool", t.Tag(GenAiAttributes.OperationName));
            Assert.Equal("get_forecast", t.Tag(GenAiAttributes.ToolName));
            Assert.Equal("function", t.Tag(GenAiAttributes.ToolType));
            Assert.Equal("Gets today's forecast for a city.", t.Tag(GenAiAttributes.ToolDescription));
        });
        Assert.Equal(new[] { "call_1", "call_2" }, tools.Select(t => t.Tag(GenAiAttributes.ToolCallId)));
        Assert.Equal(new[] { """{"city":"Paris"}""", """{"city":"Atlantis"}""" }, tools.Select(t => t.Tag(MlflowAttributes.SpanInputs)));
        Assert.Equal(ActivityStatusCode.Ok, tools[0].Status);
        Assert.Equal("""{"city":"Paris","condition":"sunny","temperatureC":18}""", tools[0].Tag(MlflowAttributes.SpanOutputs));

        // The failing call: an error with its exception (type, message, stack trace), and no output.
        Assert.Equal(ActivityStatusCode.Error, tools[1].Status);
        Assert.Equal("City not found: Atlantis", tools[1].StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, tools[1].Tag(CommonAttributes.ErrorType));
        Assert.Null(tools[1].Tag(MlflowAttributes.SpanOutputs));
        var exception = Assert.Single(tools[1].Events);
        Assert.Equal("exception", exception.Name);
        Assert.Contains(nameof(WeatherAgent.Forecast), exception.Tags.Single(t => t.Key == "exception.stacktrace").Value?.ToString(), StringComparison.Ordinal);

        // The model calls are recorded where the tracing client can see them one by one: inside the loop.
        Assert.Equal(placement == Placement.Outside ? 0 : 3, spans.OfType(MlflowSpanTypes.Llm).Count);
    }

    [Fact]
    public async Task The_hook_listens_only_while_tracing_does_and_a_pipeline_built_before_tracing_started_still_gets_TOOL_spans()
    {
        // Built and run with nothing listening: the function-invoking client's execute_tool on the hook source finds no
        // listener, so it returns at once (the hook is not asked to sample).
        // (Three pipelines, all built now: a scripted model answers one session.)
        var clients = Enumerable.Range(0, 3).Select(_ => Build(WeatherAgent.Model(), Placement.Inside)).ToList();
        await WeatherAgent.RunSessionAsync(clients[0], WeatherAgent.PlainTool());
        Assert.False(FunctionCalls.FunctionInvocationHook.Source.HasListeners());

        using (var spans = new SpanCollector())
        {
            await WeatherAgent.RunSessionAsync(clients[1], WeatherAgent.PlainTool());
            Assert.True(FunctionCalls.FunctionInvocationHook.Source.HasListeners());
            Assert.Equal(2, spans.OfType(MlflowSpanTypes.Tool).Count);
        }

        await WeatherAgent.RunSessionAsync(clients[2], WeatherAgent.PlainTool());
        Assert.False(FunctionCalls.FunctionInvocationHook.Source.HasListeners());
    }

    [Theory]
    [InlineData(Placement.Inside)]
    [InlineData(Placement.Outside)]
    [InlineData(Placement.Both)]
    public async Task A_Tool_method_given_to_the_loop_is_one_TOOL_span_with_the_models_call_id(Placement placement)
    {
        using var spans = new SpanCollector();
        await WeatherAgent.RunSessionAsync(Build(WeatherAgent.Model(), placement), WeatherAgent.AttributedTool());

        var turn = spans.OfType(MlflowSpanTypes.Agent)[0];
        var tools = spans.OfType(MlflowSpanTypes.Tool);
        Assert.Equal(2, tools.Count);
        Assert.All(tools, t => Assert.Equal(turn.SpanId, t.ParentSpanId));
        Assert.Equal(new[] { "call_1", "call_2" }, tools.Select(t => t.Tag(GenAiAttributes.ToolCallId)));
        Assert.Equal(ActivityStatusCode.Error, tools[1].Status);
    }

    [Fact]
    public async Task A_Tool_method_called_directly_keeps_its_own_span()
    {
        using var spans = new SpanCollector();
        await new WeatherTools().GetForecastAsync("Paris");

        var tool = Assert.Single(spans.OfType(MlflowSpanTypes.Tool));
        Assert.Equal("get_forecast", tool.DisplayName);
        Assert.Equal("""{"city":"Paris"}""", tool.Tag(MlflowAttributes.SpanInputs));
    }

    [Fact]
    public async Task Only_the_first_Tool_method_a_function_runs_yields_to_the_invocation_span()
    {
        using var spans = new SpanCollector();
        var tools = new WeatherTools();
        var both = AIFunctionFactory.Create(async (string city) =>
        {
            var first = await tools.GetForecastAsync(city);
            var second = await tools.GetForecastAsync("Lyon");
            return first.TemperatureC + second.TemperatureC;
        }, "get_two_forecasts");
        var model = new ScriptedChatClient(new[]
        {
            Script.CallTools("resp-1", ("call_1", "get_two_forecasts", new { city = "Paris" })),
            Script.Answer("resp-2", "36", 10, 0, 1),
        });

        await Build(model, Placement.Inside).GetResponseAsync("Sum?", new ChatOptions { Tools = [both] });

        var invocation = spans.Single("get_two_forecasts");
        var nested = spans.Single("get_forecast");
        Assert.Equal(invocation.SpanId, nested.ParentSpanId);
        Assert.Equal("""{"city":"Lyon"}""", nested.Tag(MlflowAttributes.SpanInputs));
        Assert.Equal("36", invocation.Tag(MlflowAttributes.SpanOutputs));
    }

    [Fact]
    public async Task Spans_a_function_starts_nest_under_its_TOOL_span()
    {
        using var spans = new SpanCollector();
        var lookup = AIFunctionFactory.Create((string city) =>
        {
            using var inner = LiveSpan.Start("geocode", MlflowSpanTypes.Retriever);
            return city.Length;
        }, "lookup");
        var model = new ScriptedChatClient(new[]
        {
            Script.CallTools("resp-1", ("call_1", "lookup", new { city = "Paris" })),
            Script.Answer("resp-2", "5", 10, 0, 1),
        });

        await Build(model, Placement.Inside).GetResponseAsync("Length?", new ChatOptions { Tools = [lookup] });

        Assert.Equal(spans.Single("lookup").SpanId, spans.Single("geocode").ParentSpanId);
    }

    [Fact]
    public async Task A_function_invoker_of_your_own_still_runs_inside_the_TOOL_span()
    {
        using var spans = new SpanCollector();
        string? seenInside = null;
        var client = WeatherAgent.Model().AsBuilder()
            .UseMlflowTracing()
            .UseFunctionInvocation(configure: f => f.FunctionInvoker = (context, ct) =>
            {
                seenInside ??= Activity.Current?.DisplayName;
                return context.Function.InvokeAsync(context.Arguments, ct);
            })
            .Build();

        await WeatherAgent.RunSessionAsync(client, WeatherAgent.PlainTool());

        Assert.Equal("get_forecast", seenInside);
        Assert.Equal(2, spans.OfType(MlflowSpanTypes.Tool).Count);
    }

    [Fact]
    public async Task With_Microsofts_telemetry_between_the_loop_and_the_tracing_client_the_tool_calls_are_still_TOOL_spans()
    {
        // The loop starts execute_tool on Microsoft's source; the hook listens there too, so each call still gets our TOOL
        // span, started beside Microsoft's activity, which the exporter then drops as a mirror (MirroredSpans).
        using var spans = new SpanCollector();
        var client = WeatherAgent.Model().AsBuilder().UseFunctionInvocation().UseOpenTelemetry().UseMlflowTracing().Build();

        await WeatherAgent.RunSessionAsync(client, WeatherAgent.PlainTool());

        Assert.Equal(3, spans.OfType(MlflowSpanTypes.Llm).Count);
        Assert.Equal(2, spans.OfType(MlflowSpanTypes.Tool).Count);
    }
}
