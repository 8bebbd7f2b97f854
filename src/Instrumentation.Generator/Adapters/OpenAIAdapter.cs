#nullable enable

// The OpenAI SDK marks some types [Experimental("OPENAI001")] (DeveloperChatMessage): reading them must never
// turn into an error in the user's build.
#pragma warning disable OPENAI001

namespace Instrumentation.Generated
{
    using global::System.Collections.Generic;
    using global::Instrumentation.Runtime.Chat;
    using global::Instrumentation.Runtime.CompilerServices;
    using global::Instrumentation.Runtime.Spans;
    using global::Instrumentation.Runtime.Usage;

    /// <summary>Reads OpenAI .NET SDK chat types for the [LlmCall] wrappers of this assembly.</summary>
    [global::System.CodeDom.Compiler.GeneratedCode("Instrumentation.Generator", "%VERSION%")]
    [global::Microsoft.CodeAnalysis.Embedded]
    internal static class OpenAIAdapter
    {
        public static void RecordRequest(LlmSpan span, IEnumerable<global::OpenAI.Chat.ChatMessage>? messages,
            global::OpenAI.Chat.ChatCompletionOptions? options, string? model) =>
            AdapterFailOpen.Run((span, messages, options, model), static state => RecordRequestCore(state.span, state.messages, state.options, state.model), "OpenAIAdapter.RecordRequest");

        private static void RecordRequestCore(LlmSpan span, IEnumerable<global::OpenAI.Chat.ChatMessage>? messages,
            global::OpenAI.Chat.ChatCompletionOptions? options, string? model)
        {
            if (span.NeedsMessages)
            {
                span.SetChatRequest(Messages(messages), model, span.CallId is null ? null : ToolSchemas(options));
            }
        }

        public static void RecordResponse(LlmSpan span, global::System.ClientModel.ClientResult<global::OpenAI.Chat.ChatCompletion>? result) =>
            RecordResponse(span, result?.Value);

        public static void RecordResponse(LlmSpan span, global::OpenAI.Chat.ChatCompletion? completion) =>
            AdapterFailOpen.Run((span, completion), static state => RecordResponseCore(state.span, state.completion), "OpenAIAdapter.RecordResponse");

        private static void RecordResponseCore(LlmSpan span, global::OpenAI.Chat.ChatCompletion? completion)
        {
            if (completion is null)
            {
                return;
            }

            span.SetProvider("openai");
            span.SetResponseObject(completion);
            if (completion.Usage is { } usage)
            {
                span.SetUsage(Usage(usage), usage);
            }

            var finishReason = FinishReason(completion.FinishReason);
            span.SetResponse(completion.Model, completion.Id, finishReason);
            if (span.NeedsMessages)
            {
                List<RecordedToolCall>? calls = null;
                foreach (var call in completion.ToolCalls)
                {
                    (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
                }

                span.SetChatOutput(new RecordedChatMessage("assistant", Text(completion.Content), calls), finishReason);
            }
        }

        public static void RecordUpdate(ChatStreamAccumulator chat, global::OpenAI.Chat.StreamingChatCompletionUpdate update) =>
            AdapterFailOpen.Run((chat, update), static state => RecordUpdateCore(state.chat, state.update), "OpenAIAdapter.RecordUpdate");

        private static void RecordUpdateCore(ChatStreamAccumulator chat, global::OpenAI.Chat.StreamingChatCompletionUpdate update)
        {
            chat.Model ??= update.Model;
            chat.ResponseId ??= update.CompletionId;
            if (update.FinishReason is { } finishReason)
            {
                chat.FinishReason = FinishReason(finishReason);
            }

            foreach (var part in update.ContentUpdate)
            {
                chat.AppendText(part.Text);
            }

            foreach (var call in update.ToolCallUpdates)
            {
                chat.AppendToolCall(call.Index, call.ToolCallId, call.FunctionName, call.FunctionArgumentsUpdate?.ToString());
            }

            if (update.Usage is { } usage)
            {
                chat.SetUsage(Usage(usage), usage);
            }
        }

        // OpenAI's input count (prompt_tokens) includes cached tokens, as the project's unit rule does.
        private static TokenUsage Usage(global::OpenAI.Chat.ChatTokenUsage usage) => new TokenUsage
        {
            InputTokens = usage.InputTokenCount,
            OutputTokens = usage.OutputTokenCount,
            TotalTokens = usage.TotalTokenCount,
            CacheReadInputTokens = usage.InputTokenDetails?.CachedTokenCount,
            ReasoningOutputTokens = usage.OutputTokenDetails?.ReasoningTokenCount,
        };

        private static string FinishReason(global::OpenAI.Chat.ChatFinishReason reason) => reason switch
        {
            global::OpenAI.Chat.ChatFinishReason.Stop => "stop",
            global::OpenAI.Chat.ChatFinishReason.Length => "length",
            global::OpenAI.Chat.ChatFinishReason.ContentFilter => "content_filter",
            global::OpenAI.Chat.ChatFinishReason.ToolCalls => "tool_calls",
            global::OpenAI.Chat.ChatFinishReason.FunctionCall => "function_call",
            _ => reason.ToString(),
        };

        private static List<RecordedChatMessage> Messages(IEnumerable<global::OpenAI.Chat.ChatMessage>? messages)
        {
            var conversation = ChatRequests.NewConversation();
            if (messages is null)
            {
                return conversation;
            }

            foreach (var message in messages)
            {
                switch (message)
                {
                    case global::OpenAI.Chat.SystemChatMessage system:
                        conversation.Add(new RecordedChatMessage("system", Text(system.Content), Name: system.ParticipantName));
                        break;
                    case global::OpenAI.Chat.DeveloperChatMessage developer:
                        conversation.Add(new RecordedChatMessage("system", Text(developer.Content), Name: developer.ParticipantName));
                        break;
                    case global::OpenAI.Chat.UserChatMessage user:
                        conversation.Add(new RecordedChatMessage("user", Text(user.Content), Name: user.ParticipantName));
                        break;
                    case global::OpenAI.Chat.AssistantChatMessage assistant:
                        List<RecordedToolCall>? calls = null;
                        foreach (var call in assistant.ToolCalls)
                        {
                            (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.Id, call.FunctionName, call.FunctionArguments?.ToString()));
                        }

                        conversation.Add(new RecordedChatMessage("assistant", Text(assistant.Content), calls, Name: assistant.ParticipantName));
                        break;
                    case global::OpenAI.Chat.ToolChatMessage tool:
                        conversation.Add(new RecordedChatMessage("tool", Text(tool.Content), ToolCallId: tool.ToolCallId));
                        break;
                    default:
                        conversation.Add(new RecordedChatMessage("user", Text(message.Content)));
                        break;
                }
            }

            return conversation;
        }

        private static string? Text(global::OpenAI.Chat.ChatMessageContent? content)
        {
            if (content is null || content.Count == 0)
            {
                return null;
            }

            var text = new global::System.Text.StringBuilder();
            foreach (var part in content)
            {
                text.Append(part.Kind == global::OpenAI.Chat.ChatMessageContentPartKind.Text ? part.Text : "[" + part.Kind + "]");
            }

            return text.ToString();
        }

        private static string? ToolSchemas(global::OpenAI.Chat.ChatCompletionOptions? options)
        {
            if (options is null || options.Tools.Count == 0)
            {
                return null;
            }

            var schemas = new global::System.Text.StringBuilder();
            foreach (var tool in options.Tools)
            {
                schemas.Append(tool.FunctionName).Append('\n').Append(tool.FunctionParameters?.ToString()).Append('\n');
            }

            return schemas.ToString();
        }
    }
}
