using System;
using System.ClientModel;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using OpenAiChatMessage = OpenAI.Chat.ChatMessage;
using OpenAiFinishReason = OpenAI.Chat.ChatFinishReason;

namespace AgentDemo;

/// <summary>
/// Connects the agent's <see cref="IChatClient"/> to any OpenAI-compatible endpoint through the OpenAI .NET SDK. (The
/// Microsoft.Extensions.AI.OpenAI adapter would do this; the package registry here does not serve it.)
/// </summary>
public sealed class OpenAIChatClientAdapter : IChatClient
{
    private readonly ChatClient _client;
    private readonly string _model;

    public OpenAIChatClientAdapter(Uri baseUrl, string apiKey, string model)
    {
        _model = model;
        _client = new ChatClient(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions { Endpoint = baseUrl });
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = new ChatCompletionOptions();
        foreach (var tool in options?.Tools?.OfType<AIFunction>() ?? [])
        {
            request.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.JsonSchema.GetRawText())));
        }

        ChatCompletion completion = await _client.CompleteChatAsync(messages.SelectMany(ToOpenAi), request, cancellationToken);

        var contents = new List<AIContent>();
        contents.AddRange(completion.Content.Where(part => part.Text is { Length: > 0 }).Select(part => new TextContent(part.Text)));
        contents.AddRange(completion.ToolCalls.Select(call => new FunctionCallContent(call.Id, call.FunctionName,
            DemoJson.DeserializeArguments(call.FunctionArguments.ToString()))));

        var usage = completion.Usage;
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = completion.Model,
            ResponseId = completion.Id,
            FinishReason = completion.FinishReason switch
            {
                OpenAiFinishReason.ToolCalls => Microsoft.Extensions.AI.ChatFinishReason.ToolCalls,
                OpenAiFinishReason.Length => Microsoft.Extensions.AI.ChatFinishReason.Length,
                OpenAiFinishReason.ContentFilter => Microsoft.Extensions.AI.ChatFinishReason.ContentFilter,
                _ => Microsoft.Extensions.AI.ChatFinishReason.Stop,
            },
            Usage = usage is null ? null : new UsageDetails
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
                CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
                ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("openai", null, _model) : null;

    public void Dispose()
    {
    }

    private static IEnumerable<OpenAiChatMessage> ToOpenAi(AiChatMessage message)
    {
        if (message.Role == ChatRole.System)
        {
            yield return new SystemChatMessage(message.Text);
        }
        else if (message.Role == ChatRole.User)
        {
            yield return new UserChatMessage(message.Text);
        }
        else if (message.Role == ChatRole.Assistant)
        {
            var calls = message.Contents.OfType<FunctionCallContent>()
                .Select(call => ChatToolCall.CreateFunctionToolCall(call.CallId, call.Name, BinaryData.FromString(DemoJson.Serialize(call.Arguments))))
                .ToList();
            yield return calls.Count > 0 ? new AssistantChatMessage(calls) : new AssistantChatMessage(message.Text);
        }
        else if (message.Role == ChatRole.Tool)
        {
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                yield return new ToolChatMessage(result.CallId, result.Result is JsonElement json ? json.GetRawText() : Convert.ToString(result.Result) ?? string.Empty);
            }
        }
    }
}
