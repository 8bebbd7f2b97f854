using System.Collections.Generic;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Runtime.Chat;

namespace Instrumentation.OpenClaw.Emission;

/// <summary>Transcript messages to the OpenAI chat shape the runtime records (<see cref="RecordedChatMessage"/>).</summary>
internal static class ChatConversion
{
    public static RecordedChatMessage ToChat(TranscriptMessage message)
    {
        switch (message.Role)
        {
            case "assistant":
                return new RecordedChatMessage("assistant", message.Text, ToolCalls(message.ToolCalls));
            case "toolResult":
            case "tool":
                return new RecordedChatMessage("tool", message.Text, ToolCallId: message.ToolCallId, Name: message.ToolName);
            case "system":
            case "developer":
                return new RecordedChatMessage("system", message.Text);
            default:
                // user, and OpenClaw's "custom" context messages (openclaw.runtime-context), which reach the model as
                // user-role context.
                return new RecordedChatMessage("user", message.Text, ToolCalls(message.ToolCalls));
        }
    }

    private static IReadOnlyList<RecordedToolCall>? ToolCalls(IReadOnlyList<TranscriptToolCall>? calls)
    {
        if (calls is not { Count: > 0 })
        {
            return null;
        }

        var converted = new RecordedToolCall[calls.Count];
        for (var i = 0; i < calls.Count; i++)
        {
            converted[i] = new RecordedToolCall(calls[i].Id, calls[i].Name, calls[i].ArgumentsJson);
        }

        return converted;
    }

    /// <summary>
    /// The conversation a call of an attempt was sent: the attempt's system prompt, history and prompt (<c>llm_input</c>,
    /// which fires once per attempt, before its first call, §0.3), then the messages written in the attempt before the
    /// call started (the earlier calls' assistant messages with their tool calls, the tool results, and user messages
    /// injected mid-attempt).
    /// </summary>
    public static List<RecordedChatMessage> ConversationBefore(CompletedAttempt attempt, System.DateTimeOffset callStart, CompletedTranscriptEntry? own)
    {
        var messages = new List<RecordedChatMessage>();
        if (attempt.Input is { } input)
        {
            if (!string.IsNullOrEmpty(input.SystemPrompt))
            {
                messages.Add(new RecordedChatMessage("system", input.SystemPrompt));
            }

            foreach (var history in input.History)
            {
                messages.Add(ToChat(history));
            }

            if (input.Prompt is not null)
            {
                messages.Add(new RecordedChatMessage("user", input.Prompt));
            }
        }

        foreach (var entry in attempt.Transcript)
        {
            if (ReferenceEquals(entry, own) || entry.WriteTime > callStart)
            {
                continue;
            }

            if (entry.PairedCallStart is { } otherStart && otherStart >= callStart)
            {
                continue;
            }

            if (entry.Message.Role == "user" && attempt.Input is not null
                && (attempt.FirstCallStart is not { } first || entry.WriteTime <= first))
            {
                // The prompt itself, written again around llm_input (§3): llm_input already carries it.
                continue;
            }

            messages.Add(ToChat(entry.Message));
        }

        return messages;
    }

    /// <summary>OpenClaw's <c>stopReason</c> as an OpenAI <c>finish_reason</c>.</summary>
    public static string? FinishReason(string? stopReason) => stopReason switch
    {
        null => null,
        "stop" => "stop",
        "toolUse" => "tool_calls",
        "length" => "length",
        // OpenClaw's own outcomes, not reasons a provider gave: an error is the span's status (gen_ai.response.finish_reasons
        // holds the provider's values, OpenTelemetry GenAI semantic conventions).
        "error" or "aborted" => null,
        _ => stopReason,
    };
}
