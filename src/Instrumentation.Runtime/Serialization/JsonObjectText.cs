using System.Text.Json;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// Writing and reading the small JSON objects MLflow keeps as attribute text (token usage, cost): the buffer handling
/// and the tolerant parse every such codec shares, so each codec holds only its keys.
/// </summary>
internal static class JsonObjectText
{
    /// <summary>Writes the members of one object from <paramref name="state"/>.</summary>
    public delegate void MemberWriter<TState>(Utf8JsonWriter writer, in TState state);

    /// <summary>Reads a value from the root object.</summary>
    public delegate T? ObjectReader<T>(JsonElement root)
        where T : struct;

    /// <summary>The text of <c>{…}</c> with the members <paramref name="writeMembers"/> writes.</summary>
    public static string Write<TState>(in TState state, MemberWriter<TState> writeMembers)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            writeMembers(writer, state);
            writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>What <paramref name="read"/> finds in <paramref name="json"/>, or <see langword="null"/> when the text is
    /// empty, not JSON, or not an object. Never throws for bad text.</summary>
    public static T? Read<T>(string? json, ObjectReader<T> read)
        where T : struct
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? read(document.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
