using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// Writes a string inside a serialized object cut to the size cap, with the usual marker. Without it, the serializer
/// writes the whole string first (a 50 MB string needed 152 MiB before being cut); with it, a huge string costs what
/// the cap costs. With redaction on, it also runs the secret-value pre-filter on each string as it writes it, so the
/// JSON of a type whose strings all pass through here is not scanned again (<see cref="TypeShape"/>). Reading is
/// unchanged.
/// </summary>
internal sealed class CappedStringConverter : JsonConverter<string>
{
    private readonly int _maxBytes;
    private readonly Redactor? _redactor;

    public CappedStringConverter(int maxBytes, Redactor? redactor)
    {
        _maxBytes = maxBytes;
        _redactor = redactor;
    }

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (_redactor is not null)
        {
            SpanJson.NoteObjectString(value, _maxBytes, _redactor);
        }

        SpanJson.WriteCappedString(writer, value, _maxBytes);
    }

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString()!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);
}
