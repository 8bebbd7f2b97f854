using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads the messages hooks carry (<c>before_message_write.message</c>, <c>llm_input.historyMessages</c>,
/// <c>llm_output.lastAssistant</c>, <c>tool_result_persist.message</c>, the <c>provider_call</c> record's request and
/// output) and OpenClaw's normalised usage, into <see cref="TranscriptMessage"/> and <see cref="OpenClawUsage"/>.
/// </summary>
internal static class TranscriptMessageReader
{
    public static IReadOnlyList<TranscriptMessage> ParseMessages(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<TranscriptMessage>();
        }

        var messages = new List<TranscriptMessage>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (ParseMessage(item) is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>
    /// Reads a transcript message in OpenClaw's shape (content blocks <c>text</c>/<c>toolCall</c>/<c>image</c>/<c>thinking</c>)
    /// or the OpenAI chat shape (<c>content</c> string or parts, <c>tool_calls</c>), as the provider_call record uses.
    /// </summary>
    public static TranscriptMessage? ParseMessage(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object || m.String("role") is not { } role)
        {
            return null;
        }

        string? text = null;
        List<TranscriptToolCall>? toolCalls = null;
        if (m.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString();
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                StringBuilder? builder = null;
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind == JsonValueKind.String)
                    {
                        Append(ref builder, block.GetString());
                        continue;
                    }

                    switch (block.String("type"))
                    {
                        case "text":
                        case "input_text":
                        case "output_text":
                            Append(ref builder, block.String("text"));
                            break;
                        case "image":
                        case "image_url":
                            Append(ref builder, "[image]");
                            break;
                        case "toolCall":
                            (toolCalls ??= new()).Add(new TranscriptToolCall(block.String("id"), block.String("name") ?? "tool",
                                ArgumentsText(block, "arguments")));
                            break;
                    }
                }

                text = builder?.ToString();
            }
        }

        var openAiCalls = m.Array("tool_calls");
        if (openAiCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in openAiCalls.EnumerateArray())
            {
                var function = call.Object("function");
                (toolCalls ??= new()).Add(new TranscriptToolCall(call.String("id"), function.String("name") ?? "tool",
                    ArgumentsText(function, "arguments")));
            }
        }

        return new TranscriptMessage
        {
            Role = role,
            Text = text,
            ToolCalls = toolCalls,
            ToolCallId = m.String("toolCallId") ?? m.String("tool_call_id"),
            ToolName = m.String("toolName") ?? m.String("name"),
            IsError = m.Bool("isError"),
            StopReason = m.String("stopReason"),
            ResponseId = m.String("responseId"),
            ErrorMessage = m.String("errorMessage"),
            ErrorType = m.String("errorType"),
            ErrorCode = m.String("errorCode"),
            Model = m.String("model"),
            Provider = m.String("provider"),
            CustomType = m.String("customType"),
            Timestamp = m.UnixMs("timestamp"),
            Usage = ParseOpenClawUsage(m.Object("usage")),
            ExitCode = m.Object("details").Int64("exitCode"),
        };
    }

    private static string? ArgumentsText(JsonElement owner, string name)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(name, out var arguments))
        {
            return null;
        }

        return arguments.ValueKind switch
        {
            JsonValueKind.String => arguments.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => arguments.GetRawText(),
        };
    }

    private static void Append(ref StringBuilder? builder, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (builder is null)
        {
            builder = new StringBuilder(text);
        }
        else
        {
            builder.Append('\n').Append(text);
        }
    }

    public static OpenClawUsage? ParseOpenClawUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var cost = usage.Object("cost");
        return new OpenClawUsage(
            usage.Int64("input"),
            usage.Int64("output"),
            usage.Int64("cacheRead"),
            usage.Int64("cacheWrite"),
            usage.Int64("reasoningTokens"),
            usage.Int64("totalTokens") ?? usage.Int64("total"),
            cost.Decimal("input"),
            cost.Decimal("output"),
            cost.Decimal("cacheRead"),
            cost.Decimal("cacheWrite"),
            cost.Decimal("total"));
    }
}
