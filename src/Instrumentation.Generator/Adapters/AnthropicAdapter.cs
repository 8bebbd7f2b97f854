#nullable enable

namespace Instrumentation.Generated
{
    using global::System.Collections.Generic;
    using global::Instrumentation.Runtime.Chat;
    using global::Instrumentation.Runtime.CompilerServices;
    using global::Instrumentation.Runtime.Spans;
    using global::Instrumentation.Runtime.Usage;

    /// <summary>Reads Anthropic .NET SDK message types for the [LlmCall] wrappers of this assembly.</summary>
    [global::System.CodeDom.Compiler.GeneratedCode("Instrumentation.Generator", "%VERSION%")]
    [global::Microsoft.CodeAnalysis.Embedded]
    internal static class AnthropicAdapter
    {
        public static void RecordRequest(LlmSpan span, global::Anthropic.Models.Messages.MessageCreateParams? request) =>
            AdapterFailOpen.Run((span, request), static state => RecordRequestCore(state.span, state.request), "AnthropicAdapter.RecordRequest");

        private static void RecordRequestCore(LlmSpan span, global::Anthropic.Models.Messages.MessageCreateParams? request)
        {
            if (request is not null && span.NeedsMessages)
            {
                span.SetChatRequest(Messages(request), request.Model?.Raw(), span.CallId is null ? null : ToolSchemas(request));
            }
        }

        public static void RecordResponse(LlmSpan span, global::Anthropic.Models.Messages.Message? message) =>
            AdapterFailOpen.Run((span, message), static state => RecordResponseCore(state.span, state.message), "AnthropicAdapter.RecordResponse");

        private static void RecordResponseCore(LlmSpan span, global::Anthropic.Models.Messages.Message? message)
        {
            if (message is null)
            {
                return;
            }

            span.SetProvider("anthropic");
            span.SetResponseObject(message);
            if (message.Usage is { } usage)
            {
                // Anthropic's input_tokens leave out the cached part: add cache reads and writes back, per the
                // project's unit rule.
                span.SetUsage(TokenUsage.FromUncachedInput(usage.InputTokens, usage.OutputTokens, usage.CacheReadInputTokens, usage.CacheCreationInputTokens), usage);
            }

            var finishReason = message.StopReason?.Raw();
            span.SetResponse(message.Model?.Raw(), message.ID, finishReason);
            if (!span.NeedsMessages)
            {
                return;
            }

            string? text = null;
            List<RecordedToolCall>? calls = null;
            foreach (var block in message.Content)
            {
                if (block.TryPickText(out var part))
                {
                    text = text is null ? part.Text : text + part.Text;
                }
                else if (block.TryPickToolUse(out var call))
                {
                    (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.ID, call.Name, ChatRequests.ArgumentsJson(call.Input)));
                }
            }

            span.SetChatOutput(new RecordedChatMessage("assistant", text, calls), finishReason);
        }

        private static List<RecordedChatMessage> Messages(global::Anthropic.Models.Messages.MessageCreateParams request)
        {
            var conversation = ChatRequests.NewConversation();
            if (request.System is { } system)
            {
                conversation.Add(new RecordedChatMessage("system", JsonText(system.Json)));
            }

            foreach (var message in request.Messages)
            {
                var role = message.Role?.Raw() ?? "user";
                if (message.Content.TryPickString(out var plain))
                {
                    conversation.Add(new RecordedChatMessage(role, plain));
                    continue;
                }

                if (!message.Content.TryPickContentBlockParams(out var blocks))
                {
                    continue;
                }

                string? text = null;
                List<RecordedToolCall>? calls = null;
                foreach (var block in blocks)
                {
                    if (block.TryPickText(out var part))
                    {
                        text = text is null ? part.Text : text + part.Text;
                    }
                    else if (block.TryPickToolUse(out var call))
                    {
                        (calls ??= new List<RecordedToolCall>()).Add(new RecordedToolCall(call.ID, call.Name, ChatRequests.ArgumentsJson(call.Input)));
                    }
                    else if (block.TryPickToolResult(out var result))
                    {
                        // A tool result travels in a user message for Anthropic, as its own "tool" message for OpenAI.
                        conversation.Add(new RecordedChatMessage("tool", result.Content is null ? null : JsonText(result.Content.Json), ToolCallId: result.ToolUseID));
                    }
                    else
                    {
                        text = (text ?? string.Empty) + "[" + block.Type.Raw() + "]";
                    }
                }

                if (text is not null || calls is not null)
                {
                    conversation.Add(new RecordedChatMessage(role, text, calls));
                }
            }

            return conversation;
        }

        private static string? JsonText(global::System.Text.Json.JsonElement json) => ChatRequests.ContentText(json);

        private static string? ToolSchemas(global::Anthropic.Models.Messages.MessageCreateParams request)
        {
            if (request.Tools is not { Count: > 0 } tools)
            {
                return null;
            }

            var schemas = new global::System.Text.StringBuilder();
            foreach (var tool in tools)
            {
                schemas.Append(tool.Json.GetRawText()).Append('\n');
            }

            return schemas.ToString();
        }
    }
}
