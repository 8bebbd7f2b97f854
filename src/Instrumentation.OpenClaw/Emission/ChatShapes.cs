using System.Text;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Emission;

/// <summary>
/// The JSON values of an AGENT span's inputs and outputs, in the chat shapes MLflow reads for a trace's request and
/// response previews (docs/mlflow-contract.md §3): <c>{"messages":[{"role":"user","content":..}]}</c> and
/// <c>{"choices":[{"index":0,"message":{"role":"assistant","content":..}}]}</c>. Only values: the attribute keys are
/// the runtime's.
/// </summary>
internal static class ChatShapes
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string UserMessages(string text) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        writer.WriteStartObject();
        writer.WriteString("role", "user");
        writer.WriteString("content", text);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static string AssistantChoice(string text) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", text);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary><c>{"name": &lt;json&gt;}</c>, for a value that must be recorded inside an object.</summary>
    public static string Wrap(string name, string json) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName(name);
        writer.WriteRawValue(json, skipInputValidation: false);
        writer.WriteEndObject();
    });

    private static string Write(System.Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
