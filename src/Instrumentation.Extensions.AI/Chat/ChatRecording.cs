using System;
using System.Collections.Generic;
using System.Text;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Spans;
using Instrumentation.Runtime.Usage;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.Chat;

/// <summary>
/// Describes Microsoft.Extensions.AI requests, responses and stream updates on an <see cref="LlmSpan"/> in the runtime's
/// chat records, so a model call made through <c>UseMlflowTracing()</c> records what an <c>[LlmCall]</c> method with the
/// same types records (docs/llm-calls.md), plus what only a chat client knows: <see cref="ChatOptions.Instructions"/>
/// and the offered tools. Every entry point is fail-open.
/// </summary>
internal static class ChatRecording
{
    public static void RecordRequest(LlmSpan span, IEnumerable<ChatMessage> messages, ChatOptions? options, string? model)
    {
        try
        {
            if (span.NeedsMessages)
            {
                span.SetChatRequest(Conversation(messages, options?.Instructions), model, span.CallId is null ? null : ToolSchemas(options));
            }

            if (span.CapturesContent && options?.Tools is { Count: > 0 } tools)
            {
                ChatRequests.RecordTools(span, Tools(tools));
            }
        }
        catch (Exception exception)
        {
            AgentTelemetry.ReportInternalError("UseMlflowTracing: recording the request", exception);
        }
    }

    public static void RecordResponse(LlmSpan span, ChatResponse? response)
    {
        if (response is null)
        {
            return;
        }

        try
        {
            span.SetResponseObject(response);
            if (response.Usage is { } usage)
            {
                span.SetUsage(Usage(usage), usage);
            }

            var finishReason = response.FinishReason?.Value;
            span.SetResponse(response.ModelId, response.ResponseId, finishReason);
            if (span.NeedsMessages)
            {
                span.SetChatOutput(Answer(response.Messages), finishReason);
            }
        }
        catch (Exception exception)
        {
            AgentTelemetry.ReportInternalError("UseMlflowTracing: recording the response", exception);
        }
    }

    public static void RecordUpdate(ChatStreamAccumulator chat, ChatResponseUpdate update)
    {
        try
        {
            chat.Model ??= update.ModelId;
            chat.ResponseId ??= update.ResponseId;
            if (update.FinishReason is { } finishReason)
            {
                chat.FinishReason = finishReason.Value;
            }

            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        chat.AppendText(text.Text);
                        break;
                    case FunctionCallContent call:
                        chat.AddToolCall(call.CallId, call.Name, ChatRequests.ArgumentsJson(call.Arguments));
                        break;
                    case UsageContent usage:
                        chat.SetUsage(Usage(usage.Details), usage.Details);
                        break;
                }
            }
        }
        catch (Exception exception)
        {
            AgentTelemetry.ReportInternalError("UseMlflowTracing: recording a stream update", exception);
        }
    }

    /// <summary>Microsoft.Extensions.AI counts cached tokens inside <see cref="UsageDetails.InputTokenCount"/>, as the
    /// project's unit rule does (docs/mlflow-contract.md §2), so the counts carry over as they are.</summary>
    internal static TokenUsage Usage(UsageDetails usage) => new()
    {
        InputTokens = usage.InputTokenCount,
        OutputTokens = usage.OutputTokenCount,
        TotalTokens = usage.TotalTokenCount,
        CacheReadInputTokens = usage.CachedInputTokenCount,
        ReasoningOutputTokens = usage.ReasoningTokenCount,
    };

    /// <summary>The conversation as the model receives it: the instructions first, as the <c>system</c> message chat
    /// providers turn them into, then the messages; each tool result is its own <c>tool</c> message.</summary>
    internal static List<RecordedChatMessage> Conversation(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var conversation = ChatRequests.NewConversation();
        if (!string.IsNullOrEmpty(instructions))
        {
            conversation.Add(new RecordedChatMessage("system", instructions));
        }

        foreach (var message in messages)
        {
            string? text = null;
            List<RecordedToolCall>? calls = null;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent part:
                        text = text is null ? part.Text : text + part.Text;
                        break;
                    case FunctionCallContent call:
                        (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.CallId, call.Name, ChatRequests.ArgumentsJson(call.Arguments)));
                        break;
                    case FunctionResultContent result:
                        conversation.Add(new RecordedChatMessage("tool", ChatRequests.ContentText(result.Result), ToolCallId: result.CallId));
                        break;
                    case TextReasoningContent:
                    case UsageContent:
                        break;
                    default:
                        // Images, audio, files: named, not inlined, so the span stays small and the message keeps its place.
                        text = (text ?? string.Empty) + "[" + content.GetType().Name + "]";
                        break;
                }
            }

            if (text is not null || calls is not null)
            {
                conversation.Add(new RecordedChatMessage(message.Role.Value, text, calls, Name: message.AuthorName));
            }
        }

        return conversation;
    }

    /// <summary>The answer as one assistant message: the text and tool calls of every assistant message of the response.</summary>
    internal static RecordedChatMessage Answer(IList<ChatMessage> messages)
    {
        string? text = null;
        List<RecordedToolCall>? calls = null;
        foreach (var message in messages)
        {
            if (message.Role != ChatRole.Assistant)
            {
                continue;
            }

            foreach (var content in message.Contents)
            {
                if (content is TextContent part)
                {
                    text = text is null ? part.Text : text + part.Text;
                }
                else if (content is FunctionCallContent call)
                {
                    (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.CallId, call.Name, ChatRequests.ArgumentsJson(call.Arguments)));
                }
            }
        }

        return new RecordedChatMessage("assistant", text, calls);
    }

    /// <summary>The function tools in the shape of <c>mlflow.chat.tools</c>. Tools that are not functions (a hosted web
    /// search, say) have no JSON schema to show and are left out.</summary>
    internal static List<RecordedTool> Tools(IList<AITool> tools)
    {
        var recorded = new List<RecordedTool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool is AIFunctionDeclaration function)
            {
                recorded.Add(new RecordedTool(function.Name, string.IsNullOrEmpty(function.Description) ? null : function.Description,
                    function.JsonSchema.ValueKind == System.Text.Json.JsonValueKind.Object ? function.JsonSchema.GetRawText() : null));
            }
        }

        return recorded;
    }

    /// <summary>The text the provider-call middleware fingerprints the offered tools from: each name and JSON schema.</summary>
    private static string? ToolSchemas(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return null;
        }

        var schemas = new StringBuilder();
        foreach (var tool in tools)
        {
            schemas.Append(tool.Name).Append('\n');
            if (tool is AIFunctionDeclaration function)
            {
                schemas.Append(function.JsonSchema.GetRawText()).Append('\n');
            }
        }

        return schemas.ToString();
    }
}
