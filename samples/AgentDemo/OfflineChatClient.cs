using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentDemo;

/// <summary>
/// A deterministic stand-in for a real model, so the demo runs with no key and no network. It reads the conversation
/// like a model would: asks for a forecast per city named in the question, converts temperatures when the user asks
/// for Fahrenheit or Kelvin, then answers from the tool results, reporting any tool that failed.
/// </summary>
/// <remarks>
/// Token usage is estimated at four characters a token, tool schemas included, as a provider counts the prompt. Like
/// OpenAI's prompt caching, the longest prefix shared with an earlier request is served from a cache, in 64-token
/// blocks once it reaches 256 tokens, and reported as cached input tokens.
/// </remarks>
public sealed partial class OfflineChatClient : IChatClient
{
    public const string ModelName = "offline-weather-1";
    private const int CharsPerToken = 4;
    private const int CacheBlockTokens = 64;
    private const int MinimumCachedTokens = 256;

    private readonly object _gate = new();
    private string _previousPrompt = string.Empty;
    private int _responses;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var conversation = messages.ToList();
        var reply = Decide(conversation);
        var prompt = PromptText(conversation, options);

        int cachedTokens;
        int responseNumber;
        lock (_gate)
        {
            cachedTokens = CachedTokens(_previousPrompt, prompt);
            _previousPrompt = prompt;
            responseNumber = ++_responses;
        }

        var inputTokens = Tokens(prompt.Length);
        var outputTokens = Tokens(reply.Contents.Sum(ContentLength));
        var response = new ChatResponse(reply)
        {
            ModelId = ModelName,
            ResponseId = "offline-" + responseNumber.ToString(CultureInfo.InvariantCulture),
            FinishReason = reply.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = inputTokens,
                OutputTokenCount = outputTokens,
                TotalTokenCount = inputTokens + outputTokens,
                CachedInputTokenCount = cachedTokens,
            },
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("offline", null, ModelName) : null;

    public void Dispose()
    {
    }

    private static ChatMessage Decide(List<ChatMessage> conversation)
    {
        var question = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var cities = CityPattern().Matches(question).Select(m => m.Value).Where(w => !s_notCities.Contains(w)).Distinct().ToList();
        var unit = question.Contains("Fahrenheit", StringComparison.OrdinalIgnoreCase) ? "F"
            : question.Contains("Kelvin", StringComparison.OrdinalIgnoreCase) ? "K" : null;

        // Only this turn's tool calls count (a session's history holds earlier turns'); call ids stay unique in it.
        var turn = conversation.Skip(Math.Max(0, conversation.FindLastIndex(m => m.Role == ChatRole.User))).ToList();
        var calls = turn.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToDictionary(c => c.CallId);
        var results = turn.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        var forecasts = results.Where(r => calls.TryGetValue(r.CallId, out var c) && c.Name == "get_forecast").ToList();
        var conversions = results.Where(r => calls.TryGetValue(r.CallId, out var c) && c.Name == "convert_temperature").ToList();
        var nextCall = conversation.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count() + 1;

        if (cities.Count == 0)
        {
            return new ChatMessage(ChatRole.Assistant, "Which city would you like the weather for?");
        }

        if (forecasts.Count == 0)
        {
            return new ChatMessage(ChatRole.Assistant, cities
                .Select(city => (AIContent)new FunctionCallContent(CallId(nextCall++), "get_forecast", new Dictionary<string, object?> { ["city"] = city }))
                .ToList());
        }

        var found = forecasts.Select(r => ReadForecast(r.Result)).OfType<(string City, string Condition, double Celsius)>().ToList();
        if (unit is not null && conversions.Count == 0 && found.Count > 0)
        {
            return new ChatMessage(ChatRole.Assistant, found
                .Select(f => (AIContent)new FunctionCallContent(CallId(nextCall++), "convert_temperature",
                    new Dictionary<string, object?> { ["celsius"] = f.Celsius, ["toUnit"] = unit }))
                .ToList());
        }

        var answer = new StringBuilder();
        for (var i = 0; i < found.Count; i++)
        {
            var f = found[i];
            answer.Append(CultureInfo.InvariantCulture, $"{f.City}: {f.Condition}, {f.Celsius:0.#} °C");
            if (unit is not null && i < conversions.Count)
            {
                answer.Append(CultureInfo.InvariantCulture, $" ({Text(conversions[i].Result)} °{unit})");
            }

            answer.Append(". ");
        }

        foreach (var failure in forecasts.Where(r => Text(r.Result).StartsWith("Error:", StringComparison.Ordinal)))
        {
            answer.Append("I could not get a forecast: ").Append(Text(failure.Result)["Error: ".Length..]).Append(". ");
        }

        return new ChatMessage(ChatRole.Assistant, answer.ToString().Trim());
    }

    private static (string City, string Condition, double Celsius)? ReadForecast(object? result)
    {
        if (result is not JsonElement { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        string? Field(string name) => json.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.ToString();
        return (Field("City") ?? "?", Field("Condition") ?? "?", double.Parse(Field("TemperatureC") ?? "0", CultureInfo.InvariantCulture));
    }

    private static string Text(object? result) => result switch
    {
        JsonElement { ValueKind: JsonValueKind.String } s => s.GetString() ?? string.Empty,
        JsonElement json => json.GetRawText(),
        null => string.Empty,
        _ => Convert.ToString(result, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string PromptText(List<ChatMessage> conversation, ChatOptions? options)
    {
        var prompt = new StringBuilder();
        foreach (var tool in options?.Tools?.OfType<AIFunction>() ?? [])
        {
            prompt.Append(tool.Name).Append(tool.Description).Append(tool.JsonSchema.GetRawText());
        }

        foreach (var message in conversation)
        {
            prompt.Append(message.Role.Value).Append(": ");
            foreach (var content in message.Contents)
            {
                prompt.Append(content switch
                {
                    TextContent text => text.Text,
                    FunctionCallContent call => call.Name + DemoJson.Serialize(call.Arguments),
                    FunctionResultContent result => Text(result.Result),
                    _ => content.ToString(),
                });
            }

            prompt.Append('\n');
        }

        return prompt.ToString();
    }

    private static int CachedTokens(string previous, string current)
    {
        var shared = 0;
        var limit = Math.Min(previous.Length, current.Length);
        while (shared < limit && previous[shared] == current[shared])
        {
            shared++;
        }

        var sharedTokens = shared / CharsPerToken;
        return sharedTokens < MinimumCachedTokens ? 0 : sharedTokens / CacheBlockTokens * CacheBlockTokens;
    }

    private static int ContentLength(AIContent content) => content switch
    {
        TextContent text => text.Text.Length,
        FunctionCallContent call => call.Name.Length + DemoJson.Serialize(call.Arguments).Length,
        _ => 0,
    };

    private static int Tokens(int characters) => (characters + CharsPerToken - 1) / CharsPerToken;

    private static string CallId(int number) => "call_" + number.ToString(CultureInfo.InvariantCulture);

    private static readonly HashSet<string> s_notCities = new(StringComparer.Ordinal)
    {
        "What", "What's", "Whats", "How", "Is", "Are", "The", "In", "And", "Or", "Today", "Please", "Tell", "Weather", "Fahrenheit", "Celsius", "Kelvin", "Give", "Me",
    };

    [GeneratedRegex(@"\b[A-Z][a-z]+\b")]
    private static partial Regex CityPattern();
}
