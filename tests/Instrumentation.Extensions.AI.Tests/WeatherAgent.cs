using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Instrumentation.Runtime.Sessions;
using Instrumentation.Runtime.Spans;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>The forecast the weather tools return.</summary>
public sealed record Forecast(string City, string Condition, int TemperatureC);

/// <summary>The weather tools as <c>[Tool]</c> methods: the generator writes the wrappers that open their TOOL spans.</summary>
public partial class WeatherTools
{
    [Tool(Name = "get_forecast", Description = "Gets today's forecast for a city.")]
    public partial Task<Forecast> GetForecastAsync(string city);

    private async Task<Forecast> GetForecastAsyncCore(string city)
    {
        await Task.Yield();
        return WeatherAgent.Forecast(city);
    }
}

/// <summary>
/// The agent of the issue: a session of two turns; the first asks the model, which calls get_forecast twice (Paris
/// works, Atlantis throws) and then answers; the second is answered without tools.
/// </summary>
internal static class WeatherAgent
{
    public const string Instructions = "You are a concise weather assistant.";
    public const string FirstQuestion = "What's the weather in Paris and Atlantis?";
    public const string FirstAnswer = "Paris: sunny, 18 °C. I could not get a forecast for Atlantis.";
    public const string SecondQuestion = "And tomorrow?";
    public const string SecondAnswer = "I only know today's weather.";

    public static Forecast Forecast(string city) =>
        city == "Atlantis" ? throw new InvalidOperationException("City not found: Atlantis") : new Forecast(city, "sunny", 18);

    /// <summary>get_forecast as a plain function: <see cref="AIFunctionFactory"/> over a lambda.</summary>
    public static AIFunction PlainTool() =>
        AIFunctionFactory.Create((string city) => Forecast(city), "get_forecast", "Gets today's forecast for a city.");

    /// <summary>get_forecast as the generated <c>[Tool]</c> wrapper, handed to <see cref="AIFunctionFactory"/>.</summary>
    public static AIFunction AttributedTool() =>
        AIFunctionFactory.Create(new WeatherTools().GetForecastAsync, "get_forecast", "Gets today's forecast for a city.");

    public static ScriptedChatClient Model() => new(new[]
    {
        Script.CallTools("resp-1", ("call_1", "get_forecast", new { city = "Paris" }), ("call_2", "get_forecast", new { city = "Atlantis" })),
        Script.Answer("resp-2", FirstAnswer, input: 420, cached: 256, output: 20, reasoning: 8),
        Script.Answer("resp-3", SecondAnswer, input: 460, cached: 384, output: 9),
    });

    /// <summary>Runs both turns in one session, each inside its own AGENT span, and returns the two answers.</summary>
    public static async Task<(ChatResponse First, ChatResponse Second)> RunSessionAsync(IChatClient client, AIFunction tool, bool streaming = false)
    {
        var options = new ChatOptions { Instructions = Instructions, Tools = new List<AITool> { tool } };
        var history = new List<ChatMessage>();
        using var session = TraceSession.Begin("chat-42", "alice");
        var first = await TurnAsync(client, history, FirstQuestion, options, streaming);
        var second = await TurnAsync(client, history, SecondQuestion, options, streaming);
        return (first, second);
    }

    private static async Task<ChatResponse> TurnAsync(IChatClient client, List<ChatMessage> history, string question, ChatOptions options, bool streaming)
    {
        var turn = AgentSpan.Start("weather_turn", agentName: "weather");
        turn.SetInputsJson("{\"question\":\"" + question + "\"}");
        history.Add(new ChatMessage(ChatRole.User, question));
        var response = streaming
            ? await client.GetStreamingResponseAsync(history, options).ToChatResponseAsync()
            : await client.GetResponseAsync(history, options);
        history.AddMessages(response);
        turn.SetOutput(response.Text);
        turn.End();
        return response;
    }
}
