using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Instrumentation.Mlflow.GenAi;

/// <summary>
/// Rewrites the JSON the OpenTelemetry GenAI conventions put on a span (<c>gen_ai.input.messages</c>,
/// <c>gen_ai.output.messages</c>, <c>gen_ai.system_instructions</c>, <c>gen_ai.tool.definitions</c>: messages made of
/// typed <c>parts</c>) into the OpenAI chat shapes MLflow's chat view reads (docs/mlflow-contract.md §2). Every method
/// returns <see langword="null"/> for text that is not the expected JSON, so a span it cannot read keeps what it had.
/// </summary>
internal static class GenAiMessages
{
    // MLflow shows the text as sent: keep non-ASCII characters readable (°C, not \u00B0C). Attribute values are not
    // embedded in HTML, so the relaxed encoder is safe here.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"messages":[…],"model":…}</c>: the system instructions first, then the input messages; each tool
    /// result becomes its own <c>tool</c> message (MLflow shows one result per message).</summary>
    public static string? ChatInputs(string? systemInstructions, string? inputMessages, string? model) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        if (systemInstructions is not null)
        {
            using var system = JsonDocument.Parse(systemInstructions);
            var text = PartsText(system.RootElement);
            if (text is not null)
            {
                writer.WriteStartObject();
                writer.WriteString("role", "system");
                writer.WriteString("content", text);
                writer.WriteEndObject();
            }
        }

        if (inputMessages is not null)
        {
            using var input = JsonDocument.Parse(inputMessages);
            foreach (var message in ArrayItems(input.RootElement))
            {
                WriteMessages(writer, message);
            }
        }

        writer.WriteEndArray();
        if (!string.IsNullOrEmpty(model))
        {
            writer.WriteString("model", model);
        }

        writer.WriteEndObject();
    });

    /// <summary><c>{"choices":[{"index":0,"message":{…},"finish_reason":…}]}</c> from <c>gen_ai.output.messages</c>.</summary>
    public static string? ChatOutputs(string? outputMessages)
    {
        if (outputMessages is null)
        {
            return null;
        }

        return Write(writer =>
        {
            using var output = JsonDocument.Parse(outputMessages);
            writer.WriteStartObject();
            writer.WriteStartArray("choices");
            var index = 0;
            foreach (var message in ArrayItems(output.RootElement))
            {
                writer.WriteStartObject();
                writer.WriteNumber("index", index++);
                writer.WritePropertyName("message");
                WriteMessages(writer, message);
                var finish = message.TryGetProperty("finish_reason", out var reason) ? reason.GetString() : null;
                writer.WriteString("finish_reason", finish == "tool_call" ? "tool_calls" : finish);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>The text of the last assistant message in <c>gen_ai.output.messages</c> (an agent's answer).</summary>
    public static string? LastAssistantText(string? outputMessages)
    {
        if (outputMessages is null)
        {
            return null;
        }

        try
        {
            using var output = JsonDocument.Parse(outputMessages);
            string? answer = null;
            foreach (var message in ArrayItems(output.RootElement))
            {
                if (Role(message) == "assistant" && message.TryGetProperty("parts", out var parts) && PartsText(parts) is { } text)
                {
                    answer = text;
                }
            }

            return answer;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>OpenAI tool definitions <c>[{"type":"function","function":{"name":…,"description":…,"parameters":…}}]</c>
    /// from the flat <c>gen_ai.tool.definitions</c> (<c>[{"type":"function","name":…,…}]</c>), which MLflow's tool list
    /// does not show.</summary>
    public static string? ToolDefinitions(string? definitions)
    {
        if (definitions is null)
        {
            return null;
        }

        return Write(writer =>
        {
            using var document = JsonDocument.Parse(definitions);
            writer.WriteStartArray();
            foreach (var tool in ArrayItems(document.RootElement))
            {
                if (tool.TryGetProperty("function", out _))
                {
                    tool.WriteTo(writer);
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                foreach (var property in tool.EnumerateObject())
                {
                    if (property.Name != "type")
                    {
                        property.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>A tool's inputs as MLflow wants them, a JSON object: the arguments object as is, anything else as
    /// <c>{"arguments":…}</c>.</summary>
    public static string? ToolInputs(string? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        return Write(writer =>
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                document.RootElement.WriteTo(writer);
                return;
            }

            writer.WriteStartObject();
            writer.WritePropertyName("arguments");
            document.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>JSON text as is when it parses, otherwise the text as a JSON string.</summary>
    public static string AsJson(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return Write(writer => document.RootElement.WriteTo(writer))!;
        }
        catch (JsonException)
        {
            return String(value);
        }
    }

    /// <summary>A JSON string of <paramref name="value"/>.</summary>
    public static string String(string value) => Write(writer => writer.WriteStringValue(value))!;

    /// <summary>One semantic-convention message as OpenAI messages: usually one; a tool message with several results
    /// becomes one message per result.</summary>
    private static void WriteMessages(Utf8JsonWriter writer, JsonElement message)
    {
        var role = Role(message) ?? "user";
        message.TryGetProperty("parts", out var parts);
        if (role == "tool")
        {
            foreach (var part in ArrayItems(parts))
            {
                if (PartType(part) != "tool_call_response")
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("role", "tool");
                writer.WriteString("tool_call_id", part.TryGetProperty("id", out var id) ? id.GetString() : null);
                writer.WriteString("content", part.TryGetProperty("response", out var response) ? ElementText(response) : null);
                writer.WriteEndObject();
            }

            return;
        }

        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteString("content", PartsText(parts));
        var wroteCalls = false;
        foreach (var part in ArrayItems(parts))
        {
            if (PartType(part) != "tool_call")
            {
                continue;
            }

            if (!wroteCalls)
            {
                writer.WriteStartArray("tool_calls");
                wroteCalls = true;
            }

            writer.WriteStartObject();
            writer.WriteString("id", part.TryGetProperty("id", out var id) ? id.GetString() : null);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", part.TryGetProperty("name", out var name) ? name.GetString() : null);
            writer.WriteString("arguments", part.TryGetProperty("arguments", out var arguments) ? ArgumentsText(arguments) : "{}");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (wroteCalls)
        {
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>The text parts joined, or <see langword="null"/> when there are none.</summary>
    private static string? PartsText(JsonElement parts)
    {
        StringBuilder? text = null;
        foreach (var part in ArrayItems(parts))
        {
            if (PartType(part) == "text" && part.TryGetProperty("content", out var content))
            {
                (text ??= new StringBuilder()).Append(content.GetString());
            }
        }

        return text?.ToString();
    }

    /// <summary>OpenAI's <c>arguments</c> is a string of compact JSON; the conventions give an object (or already a string).</summary>
    private static string ArgumentsText(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : Write(writer => arguments.WriteTo(writer))!;

    private static string? ElementText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();

    private static string? Role(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) ? role.GetString() : null;

    private static string? PartType(JsonElement part) =>
        part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) ? type.GetString() : null;

    private static IEnumerable<JsonElement> ArrayItems(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : Array.Empty<JsonElement>();

    private static string? Write(Action<Utf8JsonWriter> write)
    {
        try
        {
            var buffer = new ArrayBufferWriter<byte>(512);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                write(writer);
            }

            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
