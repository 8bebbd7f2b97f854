using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Instrumentation.Mlflow;
using Instrumentation.Testing.FakeMlflow;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.AgentFramework.Tests;

/// <summary>
/// The weather agent of the issue: two turns on one session; the first turn asks for two forecasts at once (one fails)
/// and then answers, the second answers directly. Three model calls with scripted usage: 100/20, 150/30 (40 cached),
/// 200/10, so the exact totals are 450 in and 60 out.
/// </summary>
internal static class WeatherScenario
{
    /// <summary>Microsoft's telemetry sources: the agent's and Microsoft.Extensions.AI's.</summary>
    public static readonly string[] MicrosoftSources = { "Experimental.Microsoft.Agents.AI", "Experimental.Microsoft.Extensions.AI" };

    public const long InputTokens = 450;
    public const long OutputTokens = 60;

    public static ScriptedChatClient Model() => new(
        ScriptedChatClient.ToolCalls(100, 20,
            ("call_1", "get_forecast", new Dictionary<string, object?> { ["city"] = "Paris" }),
            ("call_2", "get_forecast", new Dictionary<string, object?> { ["city"] = "Atlantis" })),
        ScriptedChatClient.Text("Paris: sunny. Atlantis: not found.", 150, 30, cachedInput: 40),
        ScriptedChatClient.Text("Tomorrow looks the same.", 200, 10))
    {
        StartsSpans = false,
    };

    public static AIFunction ForecastTool() => AIFunctionFactory.Create(
        (string city) => city == "Paris" ? "sunny, 18 °C" : throw new InvalidOperationException("City not found: " + city),
        "get_forecast", "Gets today's forecast for a city.");

    /// <summary>The agent: the model under function invocation, with Microsoft's telemetry and/or ours as asked.</summary>
    /// <remarks>With <paramref name="ours"/>, the chat client also gets <c>UseMlflowTracing()</c> (LLM and TOOL spans)
    /// unless <paramref name="oursOnAgentOnly"/>; with <paramref name="microsoft"/>, both get Microsoft's
    /// <c>UseOpenTelemetry()</c>. Ours goes inside Microsoft's unless <paramref name="oursOutside"/>.</remarks>
    public static AIAgent Agent(IChatClient model, bool microsoft, bool ours, bool oursOutside = false, bool oursOnAgentOnly = false)
    {
        var chat = model.AsBuilder().UseFunctionInvocation();
        var oursOnChat = ours && !oursOnAgentOnly;
        if (oursOnChat && oursOutside)
        {
            chat = chat.UseMlflowTracing();
        }

        if (microsoft)
        {
            chat = chat.UseOpenTelemetry(configure: c => c.EnableSensitiveData = true);
        }

        if (oursOnChat && !oursOutside)
        {
            chat = chat.UseMlflowTracing();
        }

        var agent = new ChatClientAgent(chat.Build(), new ChatClientAgentOptions
        {
            Id = "weather-1",
            Name = "WeatherAgent",
            Description = "Answers weather questions.",
            ChatOptions = new ChatOptions { Instructions = "You are a concise weather assistant.", Tools = [ForecastTool()] },
        }).AsBuilder();
        if (ours && oursOutside)
        {
            agent = agent.UseMlflowTracing();
        }

        if (microsoft)
        {
            agent = agent.UseOpenTelemetry(configure: a => a.EnableSensitiveData = true);
        }

        if (ours && !oursOutside)
        {
            agent = agent.UseMlflowTracing();
        }

        return agent.Build();
    }

    /// <summary>Runs both turns on one session.</summary>
    public static async Task RunTwoTurnsAsync(AIAgent agent)
    {
        var session = await agent.CreateSessionAsync();
        await agent.RunAsync("What's the weather in Paris and Atlantis?", session);
        await agent.RunAsync("And tomorrow?", session);
    }

    /// <summary>A provider exporting Microsoft's sources and ours to the fake MLflow, span by span.</summary>
    public static TracerProvider Provider(FakeMlflowServer mlflow) => Sdk.CreateTracerProviderBuilder()
        .AddSource(MicrosoftSources)
        .AddMlflowExporter(o =>
        {
            o.TrackingUri = mlflow.TrackingUri;
            o.ExperimentId = "0";
            o.ExportProcessorType = ExportProcessorType.Simple;
        })
        .Build()!;
}
