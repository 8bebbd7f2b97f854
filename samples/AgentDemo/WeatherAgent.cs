using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation;
using Microsoft.Extensions.AI;

namespace AgentDemo;

/// <summary>
/// A tool-calling agent loop on <see cref="IChatClient"/>: ask the model, run the tools it asks for, send the results
/// back, until it answers. A failing tool call is reported to the model, which recovers.
/// </summary>
public sealed partial class WeatherAgent
{
    /// <summary>The most model calls one run may make before giving up.</summary>
    public const int MaxModelCalls = 8;

    internal const string SystemPrompt = """
        You are a concise weather assistant. Answer questions about today's weather using only the tools you are given.
        Always call get_forecast once for every city the user names, even when you think you know the answer, and never
        invent a forecast. When a tool call fails, tell the user plainly which city could not be looked up and why, and
        answer for the others. When the user asks for Fahrenheit or Kelvin, call convert_temperature for each Celsius
        value you report; report the converted value beside the Celsius one. Keep answers to one or two sentences per
        city, mention the sky condition, and do not add advice unless asked. If the user names no city, ask which city
        they mean. Tools return JSON; read the fields City, Condition and TemperatureC from get_forecast.
        """;

    private readonly IChatClient _model;
    private readonly IReadOnlyList<AIFunction> _tools;

    public WeatherAgent(IChatClient model, WeatherTools tools)
    {
        _model = model;

        // AIFunctionFactory calls the tools by reflection, as agent frameworks do; the TOOL spans still appear because
        // they live inside the tool methods.
        _tools =
        [
            AIFunctionFactory.Create(tools.GetForecastAsync, "get_forecast", "Gets today's forecast for a city.", DemoJson.Options),
            AIFunctionFactory.Create(tools.ConvertTemperature, "convert_temperature", "Converts a Celsius temperature to Fahrenheit or Kelvin.", DemoJson.Options),
        ];
    }

    /// <summary>Answers one question: the AGENT span, the root of the trace.</summary>
    [AgentSpan(AgentName = "weather-agent")]
    public partial Task<string> RunAsync(string question, CancellationToken cancellationToken = default);

    private async Task<string> RunAsyncCore(string question, CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [new(ChatRole.System, SystemPrompt), new(ChatRole.User, question)];
        var options = new ChatOptions { Tools = [.. _tools] };

        for (var call = 0; call < MaxModelCalls; call++)
        {
            var response = await CompleteAsync(messages, options, cancellationToken);
            messages.AddMessages(response);

            var toolCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
            if (toolCalls.Count == 0)
            {
                return response.Text;
            }

            foreach (var toolCall in toolCalls)
            {
                messages.Add(new ChatMessage(ChatRole.Tool, [await InvokeToolAsync(toolCall, cancellationToken)]));
            }
        }

        throw new InvalidOperationException($"The model asked for tools {MaxModelCalls} times without answering.");
    }

    /// <summary>One model call: an LLM span with the conversation, the answer, the model and the token usage.</summary>
    [LlmCall]
    public partial Task<ChatResponse> CompleteAsync(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken = default);

    private Task<ChatResponse> CompleteAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) =>
        _model.GetResponseAsync(messages, options, cancellationToken);

    private async Task<FunctionResultContent> InvokeToolAsync(FunctionCallContent call, CancellationToken cancellationToken)
    {
        var tool = _tools.FirstOrDefault(t => t.Name == call.Name);
        if (tool is null)
        {
            return new FunctionResultContent(call.CallId, $"Error: there is no tool named '{call.Name}'.");
        }

        try
        {
            var result = await tool.InvokeAsync(new AIFunctionArguments(call.Arguments), cancellationToken);
            return new FunctionResultContent(call.CallId, result);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The model sees the failure and answers around it: the agent recovers instead of crashing.
            return new FunctionResultContent(call.CallId, "Error: " + ex.Message) { Exception = ex };
        }
    }
}
