using System.Collections.Generic;
using System.Text.Json;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Runtime.Chat;

/// <summary>
/// Writes the OpenAI chat shapes MLflow renders as a chat view: inputs <c>{"messages":[..],"model":..}</c>, outputs
/// <c>{"choices":[{"index":0,"message":{..},"finish_reason":..}]}</c>. Each message's text is capped on its own, so a
/// long conversation keeps its structure instead of collapsing into one truncated string.
/// </summary>
internal static class ChatJson
{
    public static string Inputs(IReadOnlyList<RecordedChatMessage> messages, string? model, CaptureSettings settings)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var message in messages)
            {
                WriteMessage(writer, message, settings);
            }

            writer.WriteEndArray();
            if (model is not null)
            {
                writer.WriteString("model", model);
            }

            writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    public static string Output(RecordedChatMessage message, string? finishReason, CaptureSettings settings)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WritePropertyName("message");
            WriteMessage(writer, message, settings);
            if (finishReason is not null)
            {
                writer.WriteString("finish_reason", finishReason);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>The offered tools as <c>mlflow.chat.tools</c> wants them: a list of OpenAI function tools. A parameters
    /// schema that is not valid JSON fails the whole list (the caller is fail-open), rather than writing a broken one.</summary>
    public static string Tools(IReadOnlyList<RecordedTool> tools)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartArray();
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", tool.Name);
                if (tool.Description is not null)
                {
                    writer.WriteString("description", tool.Description);
                }

                if (tool.ParametersJson is not null)
                {
                    writer.WritePropertyName("parameters");
                    writer.WriteRawValue(tool.ParametersJson);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    private static void WriteMessage(Utf8JsonWriter writer, RecordedChatMessage message, CaptureSettings settings)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role);
        writer.WritePropertyName("content");
        SpanJson.WriteValue(writer, message.Content, settings);
        if (message.Name is not null)
        {
            writer.WriteString("name", message.Name);
        }

        if (message.ToolCallId is not null)
        {
            writer.WriteString("tool_call_id", message.ToolCallId);
        }

        if (message.ToolCalls is { Count: > 0 } calls)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                if (call.Id is not null)
                {
                    writer.WriteString("id", call.Id);
                }

                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WritePropertyName("arguments");
                SpanJson.WriteValue(writer, call.ArgumentsJson ?? "{}", settings);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
