using System;
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Copies one JSON value from UTF-8 text to a writer, redacting on the way: the value of a secret-named key (at any
/// depth) becomes the marker unless it is a number, a boolean or null, and a string holding a secret-shaped value is
/// rewritten. Everything else is copied as it is, strings without a rule's prefix without even being decoded.
/// </summary>
internal static class JsonRedaction
{
    private const int StackEncodeBytes = 1024;

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 1000, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Copies <paramref name="json"/> to <paramref name="writer"/>, redacted.</summary>
    /// <remarks>One exception to the names rule, for the tool definitions sent to a model: in a JSON Schema
    /// <c>properties</c> object the keys name parameters and their values are schemas, so an object under a secret name
    /// there (<c>"properties":{"apiKey":{"type":"string"}}</c>) is kept and looked into; any other value is redacted.</remarks>
    /// <exception cref="JsonException"><paramref name="json"/> is not one complete JSON value.</exception>
    public static void Copy(ReadOnlySpan<byte> json, Utf8JsonWriter writer, Redactor redactor)
    {
        var reader = new Utf8JsonReader(json, s_readerOptions);

        // Bit d: the object opened at depth d is the value of a "properties" key (depths past 63 are not tracked).
        ulong schemaProperties = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth < 64)
            {
                schemaProperties &= ~(1UL << reader.CurrentDepth);
            }

            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                CopyToken(ref reader, json, writer, redactor);
                continue;
            }

            var objectDepth = reader.CurrentDepth - 1;
            var secret = CopyPropertyName(ref reader, writer, redactor);
            var isProperties = !secret && reader.ValueTextEquals("properties"u8);
            reader.Read();
            var isSchema = reader.TokenType == JsonTokenType.StartObject && objectDepth < 64 && (schemaProperties & (1UL << objectDepth)) != 0;
            if (secret && !isSchema)
            {
                WriteRedactedValue(ref reader, json, writer);
                continue;
            }

            if (isProperties && reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth < 64)
            {
                schemaProperties |= 1UL << reader.CurrentDepth;
            }

            CopyToken(ref reader, json, writer, redactor);
        }
    }

    private static void CopyToken(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, Redactor redactor)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
            default:
                CopyScalar(ref reader, json, writer, redactor);
                break;
        }
    }

    /// <summary>Writes the name; returns whether it names a secret.</summary>
    private static bool CopyPropertyName(ref Utf8JsonReader reader, Utf8JsonWriter writer, Redactor redactor)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > 256)
        {
            var name = reader.GetString()!;
            writer.WritePropertyName(name);
            return redactor.IsSecretName(name);
        }

        var utf8 = reader.ValueSpan;
        writer.WritePropertyName(utf8);
        Span<char> chars = stackalloc char[256];
        var count = Encoding.UTF8.GetChars(utf8, chars);
        return redactor.IsSecretName(chars[..count]);
    }

    private static void WriteRedactedValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            // A count or a flag under a secret-like name ("tokenCount", "passwordRequired") is not the secret.
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                CopyScalar(ref reader, json, writer, redactor: null);
                return;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                break;
        }

        writer.WriteStringValue(Redactor.Marker);
    }

    private static void CopyScalar(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonWriter writer, Redactor? redactor)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (redactor is null || reader.HasValueSequence || !redactor.MayHoldSecretValue(reader.ValueSpan))
                {
                    // The token as it was written, quotes included: no decoding, no re-escaping.
                    writer.WriteRawValue(json.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2), skipInputValidation: true);
                }
                else
                {
                    writer.WriteStringValue(redactor.RedactText(reader.GetString()!));
                }

                break;
            case JsonTokenType.Number:
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonTokenType.Null:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Redacts JSON text that arrived already serialized (the OpenClaw bridge's payloads, a tool call's
    /// arguments); text that is not JSON is redacted as text. Returns the same instance when nothing needed redaction,
    /// which a read-only pass decides before anything is written.</summary>
    public static string RedactJsonText(string json, Redactor redactor) => RedactJsonText(json, redactor, out _);

    /// <summary>The same; <paramref name="passedFilter"/> tells that the text came back as it was because the
    /// secret-value pre-filter found nothing in the whole of it, so a scan of it as plain text would find nothing
    /// either.</summary>
    public static string RedactJsonText(string json, Redactor redactor, out bool passedFilter)
    {
        // The whole text first: when no secret-shaped value can be in it, only its keys remain to check, and keys can
        // name secrets only in an object.
        passedFilter = !redactor.MayHoldSecretValueInJson(json.AsSpan());
        if (passedFilter && (json.AsSpan().IndexOf(':') < 0 || !JsonKeyScan.MayHaveSecretKey(json, redactor)))
        {
            return json;
        }

        passedFilter = false;

        // Tool-call arguments are mostly small: those are encoded on the stack, without renting.
        var maxBytes = Encoding.UTF8.GetMaxByteCount(json.Length);
        byte[]? rented = null;
        var bytes = maxBytes <= StackEncodeBytes ? stackalloc byte[StackEncodeBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var utf8 = bytes[..Encoding.UTF8.GetBytes(json, bytes)];
            if (!NeedsRedaction(utf8, redactor))
            {
                return json;
            }

            var output = new ArrayBufferWriter<byte>(Math.Max(256, utf8.Length));
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
            {
                Copy(utf8, writer, redactor);
            }

            return Encoding.UTF8.GetString(output.WrittenSpan);
        }
        catch (JsonException)
        {
            return redactor.RedactText(json);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Whether <see cref="Copy"/> would change anything: a secret-named key with a value it replaces, or a
    /// string a rule's prefix occurs in. Conservative inside JSON Schema <c>properties</c> (it says yes).</summary>
    /// <exception cref="JsonException"><paramref name="json"/> is not JSON.</exception>
    private static bool NeedsRedaction(ReadOnlySpan<byte> json, Redactor redactor)
    {
        var reader = new Utf8JsonReader(json, s_readerOptions);
        Span<char> chars = stackalloc char[256];
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var secret = reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > 256
                        ? redactor.IsSecretName(reader.GetString())
                        : redactor.IsSecretName(chars[..Encoding.UTF8.GetChars(reader.ValueSpan, chars)]);
                    if (secret && reader.Read() && reader.TokenType is not (JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        return true;
                    }

                    if (reader.TokenType == JsonTokenType.String && redactor.MayHoldSecretValue(reader.ValueSpan))
                    {
                        return true;
                    }

                    break;
                case JsonTokenType.String when reader.HasValueSequence || redactor.MayHoldSecretValue(reader.ValueSpan):
                    return true;
            }
        }

        return false;
    }
}
