#nullable enable

namespace Instrumentation.Generated
{
    using global::System.Collections.Generic;
    using global::Instrumentation.Runtime.Chat;
    using global::Instrumentation.Runtime.CompilerServices;
    using global::Instrumentation.Runtime.Spans;
    using global::Instrumentation.Runtime.Usage;

    /// <summary>Reads Microsoft.Extensions.AI chat types for the [LlmCall] wrappers of this assembly. The same file is
    /// compiled into Instrumentation.Agents.Extensions.AI, so UseMlflowTracing() records a model call exactly as an
    /// [LlmCall] method with these types does.</summary>
    [global::System.CodeDom.Compiler.GeneratedCode("Instrumentation.Generator", "%VERSION%")]
    [global::Microsoft.CodeAnalysis.Embedded]
    internal static class MicrosoftExtensionsAIAdapter
    {
        public static void RecordRequest(LlmSpan span, IEnumerable<global::Microsoft.Extensions.AI.ChatMessage>? messages,
            global::Microsoft.Extensions.AI.ChatOptions? options, string? model) =>
            AdapterFailOpen.Run((span, messages, options, model), static state => RecordRequestCore(state.span, state.messages, state.options, state.model), "MicrosoftExtensionsAIAdapter.RecordRequest");

        private static void RecordRequestCore(LlmSpan span, IEnumerable<global::Microsoft.Extensions.AI.ChatMessage>? messages,
            global::Microsoft.Extensions.AI.ChatOptions? options, string? model)
        {
            if (span.NeedsMessages)
            {
                span.SetChatRequest(Messages(messages, options?.Instructions), model ?? options?.ModelId, span.CallId is null ? null : ToolSchemas(options));
            }

            if (span.CapturesContent && options?.Tools is { Count: > 0 } tools)
            {
                ChatRequests.RecordTools(span, Tools(tools));
            }
        }

        public static void RecordResponse(LlmSpan span, global::Microsoft.Extensions.AI.ChatResponse? response) =>
            AdapterFailOpen.Run((span, response), static state => RecordResponseCore(state.span, state.response), "MicrosoftExtensionsAIAdapter.RecordResponse");

        private static void RecordResponseCore(LlmSpan span, global::Microsoft.Extensions.AI.ChatResponse? response)
        {
            if (response is null)
            {
                return;
            }

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

        public static void RecordUpdate(ChatStreamAccumulator chat, global::Microsoft.Extensions.AI.ChatResponseUpdate update) =>
            AdapterFailOpen.Run((chat, update), static state => RecordUpdateCore(state.chat, state.update), "MicrosoftExtensionsAIAdapter.RecordUpdate");

        private static void RecordUpdateCore(ChatStreamAccumulator chat, global::Microsoft.Extensions.AI.ChatResponseUpdate update)
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
                    case global::Microsoft.Extensions.AI.TextContent text:
                        chat.AppendText(text.Text);
                        break;
                    case global::Microsoft.Extensions.AI.FunctionCallContent call:
                        chat.AddToolCall(call.CallId, call.Name, ChatRequests.ArgumentsJson(call.Arguments));
                        break;
                    case global::Microsoft.Extensions.AI.UsageContent usage:
                        chat.SetUsage(Usage(usage.Details), usage.Details);
                        break;
                }
            }
        }

        // Microsoft.Extensions.AI counts cached tokens inside InputTokenCount, as the project's unit rule does.
        private static TokenUsage Usage(global::Microsoft.Extensions.AI.UsageDetails usage) => new TokenUsage
        {
            InputTokens = usage.InputTokenCount,
            OutputTokens = usage.OutputTokenCount,
            TotalTokens = usage.TotalTokenCount,
            CacheReadInputTokens = usage.CachedInputTokenCount,
            ReasoningOutputTokens = usage.ReasoningTokenCount,
        };

        // The conversation as the model receives it: the instructions first, as the system message chat providers turn
        // them into, then the messages.
        private static List<RecordedChatMessage> Messages(IEnumerable<global::Microsoft.Extensions.AI.ChatMessage>? messages, string? instructions)
        {
            var conversation = ChatRequests.NewConversation();
            if (!string.IsNullOrEmpty(instructions))
            {
                conversation.Add(new RecordedChatMessage("system", instructions));
            }

            if (messages is null)
            {
                return conversation;
            }

            foreach (var message in messages)
            {
                string? text = null;
                List<RecordedToolCall>? calls = null;
                foreach (var content in message.Contents)
                {
                    switch (content)
                    {
                        case global::Microsoft.Extensions.AI.TextContent part:
                            text = text is null ? part.Text : text + part.Text;
                            break;
                        case global::Microsoft.Extensions.AI.FunctionCallContent call:
                            (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.CallId, call.Name, ChatRequests.ArgumentsJson(call.Arguments)));
                            break;
                        case global::Microsoft.Extensions.AI.FunctionResultContent result:
                            // Each tool result is its own "tool" message in the OpenAI shape.
                            conversation.Add(new RecordedChatMessage("tool", ChatRequests.ContentText(result.Result), ToolCallId: result.CallId));
                            break;
                        case global::Microsoft.Extensions.AI.TextReasoningContent:
                        case global::Microsoft.Extensions.AI.UsageContent:
                            break;
                        default:
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

        private static RecordedChatMessage Answer(IList<global::Microsoft.Extensions.AI.ChatMessage> messages)
        {
            string? text = null;
            List<RecordedToolCall>? calls = null;
            foreach (var message in messages)
            {
                if (message.Role != global::Microsoft.Extensions.AI.ChatRole.Assistant)
                {
                    continue;
                }

                foreach (var content in message.Contents)
                {
                    if (content is global::Microsoft.Extensions.AI.TextContent part)
                    {
                        text = text is null ? part.Text : text + part.Text;
                    }
                    else if (content is global::Microsoft.Extensions.AI.FunctionCallContent call)
                    {
                        (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.CallId, call.Name, ChatRequests.ArgumentsJson(call.Arguments)));
                    }
                }
            }

            return new RecordedChatMessage("assistant", text, calls);
        }

        // The function tools in the shape of mlflow.chat.tools. Tools that are not functions (a hosted web search, say) have
        // no JSON schema to show and are left out.
        private static List<RecordedTool> Tools(IList<global::Microsoft.Extensions.AI.AITool> tools)
        {
            var recorded = new List<RecordedTool>(tools.Count);
            foreach (var tool in tools)
            {
                if (tool is global::Microsoft.Extensions.AI.AIFunctionDeclaration function)
                {
                    recorded.Add(new RecordedTool(function.Name, string.IsNullOrEmpty(function.Description) ? null : function.Description,
                        function.JsonSchema.ValueKind == global::System.Text.Json.JsonValueKind.Object ? function.JsonSchema.GetRawText() : null));
                }
            }

            return recorded;
        }

        private static string? ToolSchemas(global::Microsoft.Extensions.AI.ChatOptions? options)
        {
            if (options?.Tools is not { Count: > 0 } tools)
            {
                return null;
            }

            var schemas = new global::System.Text.StringBuilder();
            foreach (var tool in tools)
            {
                schemas.Append(tool.Name).Append('\n');
                if (tool is global::Microsoft.Extensions.AI.AIFunctionDeclaration function)
                {
                    schemas.Append(function.JsonSchema.GetRawText()).Append('\n');
                }
            }

            return schemas.ToString();
        }
    }
}
