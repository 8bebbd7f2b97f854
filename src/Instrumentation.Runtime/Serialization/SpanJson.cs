using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// Turns recorded values into JSON. Never throws: a value that cannot be serialized (a reference cycle, a type no
/// JSON contract covers, a getter that throws) becomes a placeholder string naming its type, and a value larger than
/// the size cap becomes a string cut to the cap with a visible marker. Every value passes the redaction policy
/// (<see cref="CaptureSettings.Redactor"/>) on its way.
/// </summary>
internal static class SpanJson
{
    /// <summary>What a redacted value is recorded as.</summary>
    public const string RedactedMarker = "[REDACTED]";

    // How far past the cap a string is scanned for secrets: a secret that starts before the cut and ends within this
    // is still found, so no prefix of it survives the cut.
    private const int RedactionOverlapChars = 4096;

    // Bytes left out by strings cut while an object is serialized on this thread, so the object's truncation marker
    // still names its full size.
    [ThreadStatic]
    private static long t_bytesCut;

    // Whether a string the capped converter wrote, while an object is serialized on this thread, may hold a
    // secret-shaped value (CappedStringConverter tests each).
    [ThreadStatic]
    private static bool t_objectStringMayHoldSecret;

    /// <summary>Serializes <paramref name="value"/> to JSON text, capped, for an attribute such as <c>mlflow.spanOutputs</c>.</summary>
    public static string ToJson<T>(T value, CaptureSettings settings)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            WriteValue(buffer.Writer, value, settings);
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>
    /// Serializes a string-keyed map (an LLM tool call's arguments) to a JSON object, capped as one value. The entries
    /// are written one by one, each as <see cref="WriteValue{T}"/> writes it, so string and number arguments (nearly all
    /// of them) skip the serializer's polymorphic dispatch on <see cref="object"/>; keys are written as they are, never
    /// renamed by a configured naming policy, because they are the names the model used. If enumerating the map throws,
    /// the general path records it (a placeholder naming the type).
    /// </summary>
    public static string MapToJson(IDictionary<string, object?> map, CaptureSettings settings)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            if (map is Dictionary<string, object?> dictionary)
            {
                foreach (var (key, value) in dictionary) // the struct enumerator: no allocation
                {
                    WriteEntry(writer, key, value, settings);
                }
            }
            else
            {
                foreach (var (key, value) in map)
                {
                    WriteEntry(writer, key, value, settings);
                }
            }

            writer.WriteEndObject();
            return buffer.WrittenCount <= settings.MaxValueBytes ? buffer.ToUtf8String() : CappedCopy(buffer.WrittenSpan, settings);
        }
        catch (Exception)
        {
            // A user's map that throws while enumerated (changed meanwhile, say). The general path records the failure
            // as a placeholder and counts it.
            return ToJson<object>(map, settings);
        }
        finally
        {
            buffer.Return();
        }
    }

    private static void WriteEntry(Utf8JsonWriter writer, string key, object? value, CaptureSettings settings)
    {
        writer.WritePropertyName(key);
        if (settings.Redactor is { } redactor && value is not (null or bool or int or long or double or decimal) && redactor.IsSecretName(key))
        {
            writer.WriteStringValue(RedactedMarker);
        }
        else
        {
            WriteValue(writer, value, settings);
        }
    }

    /// <summary>Writes JSON text that arrived as a string (a tool call's arguments) as a JSON string, redacted as JSON
    /// and then as text; text the pre-filter passed whole is not scanned a second time.</summary>
    public static void WriteJsonText(Utf8JsonWriter writer, string json, CaptureSettings settings)
    {
        if (settings.Redactor is not { } redactor)
        {
            WriteCappedString(writer, json, settings.MaxValueBytes);
            return;
        }

        var redacted = JsonRedaction.RedactJsonText(json, redactor, out var passedFilter);
        if (passedFilter)
        {
            WriteCappedString(writer, redacted, settings.MaxValueBytes);
        }
        else
        {
            WriteString(writer, redacted, settings);
        }
    }

    private static string CappedCopy(ReadOnlySpan<byte> json, CaptureSettings settings)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            WriteTruncatedUtf8(buffer.Writer, json, settings.MaxValueBytes, TruncationMarker(json.Length));
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>Redacts and caps JSON text that arrived already serialized (the OpenClaw bridge's payloads).</summary>
    public static string CapJson(string json, CaptureSettings settings)
    {
        if (settings.Redactor is { } redactor)
        {
            json = JsonRedaction.RedactJsonText(json, redactor);
        }

        var byteCount = Encoding.UTF8.GetByteCount(json);
        if (byteCount <= settings.MaxValueBytes)
        {
            return json;
        }

        var buffer = JsonBuffer.Rent();
        try
        {
            WriteTruncatedString(buffer.Writer, json, byteCount, settings.MaxValueBytes);
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>Writes one JSON value. Primitives go straight to the writer; anything else is serialized apart first, so a
    /// failure or an oversized result never leaves half a value in <paramref name="writer"/>.</summary>
    public static void WriteValue<T>(Utf8JsonWriter writer, T value, CaptureSettings settings)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        // The typeof checks fold away in each value-type instantiation, so primitives are written without boxing.
        if (typeof(T) == typeof(string))
        {
            WriteString(writer, (string)(object)value, settings);
        }
        else if (typeof(T) == typeof(bool))
        {
            writer.WriteBooleanValue((bool)(object)value);
        }
        else if (typeof(T) == typeof(int))
        {
            writer.WriteNumberValue((int)(object)value);
        }
        else if (typeof(T) == typeof(long))
        {
            writer.WriteNumberValue((long)(object)value);
        }
        else if (typeof(T) == typeof(double))
        {
            WriteDouble(writer, (double)(object)value);
        }
        else if (typeof(T) == typeof(float))
        {
            WriteDouble(writer, (float)(object)value);
        }
        else if (typeof(T) == typeof(decimal))
        {
            writer.WriteNumberValue((decimal)(object)value);
        }
        else if (typeof(T) == typeof(Guid))
        {
            writer.WriteStringValue((Guid)(object)value);
        }
        else if (typeof(T) == typeof(DateTime))
        {
            writer.WriteStringValue((DateTime)(object)value);
        }
        else if (typeof(T) == typeof(DateTimeOffset))
        {
            writer.WriteStringValue((DateTimeOffset)(object)value);
        }
        else
        {
            WriteObject(writer, value, settings);
        }
    }

    /// <summary>A placeholder for a value that is deliberately not serialized, such as a <see cref="Stream"/> or a <c>Span&lt;T&gt;</c>.</summary>
    public static string TypePlaceholder(string typeName) => "<" + typeName + ">";

    private static void WriteObject(Utf8JsonWriter writer, object value, CaptureSettings settings)
    {
        switch (value)
        {
            case string text:
                WriteString(writer, text, settings);
                return;
            case Enum:
                writer.WriteStringValue(value.ToString());
                return;
        }

        var type = value.GetType();
        if (IsNotRecordable(value))
        {
            writer.WriteStringValue(TypePlaceholder(DisplayName(type)));
            return;
        }

        var scratch = JsonBuffer.Rent();
        JsonBuffer? redacted = null;
        try
        {
            // Past this the value is certainly cut, so serializing stops there (CappedBufferWriter); the slack above the
            // cap lets a value whose strings the serializer over-reserves for still be measured exactly.
            scratch.Limit = (int)Math.Min(int.MaxValue, settings.MaxValueBytes * 8L);
            var cutBefore = t_bytesCut;
            var outerMayHoldSecret = t_objectStringMayHoldSecret;
            t_bytesCut = 0;
            t_objectStringMayHoldSecret = false;
            long bytesCut;
            bool stringMayHoldSecret;
            try
            {
                JsonSerializer.Serialize(scratch.Writer, value, settings.Json.GetTypeInfo(type));
            }
            catch (CapReachedException)
            {
                WriteTruncatedUtf8(writer, scratch.CommittedSpan, settings.MaxValueBytes, TruncationMarkerOver(scratch.Limit));
                return;
            }
            catch (Exception ex)
            {
                writer.WriteStringValue(UnserializablePlaceholder(type, ex));
                return;
            }
            finally
            {
                bytesCut = t_bytesCut;
                t_bytesCut = cutBefore + bytesCut;
                stringMayHoldSecret = t_objectStringMayHoldSecret;
                t_objectStringMayHoldSecret = outerMayHoldSecret;
            }

            var json = scratch.WrittenSpan;
            if (settings.Redactor is { } redactor && NeedsRedaction(json, type, stringMayHoldSecret, redactor, settings.TypeShapes!))
            {
                redacted = JsonBuffer.Rent();
                JsonRedaction.Copy(json, redacted.Writer, redactor);
                json = redacted.WrittenSpan;
            }

            if (json.Length <= settings.MaxValueBytes)
            {
                writer.WriteRawValue(json, skipInputValidation: true);
            }
            else
            {
                WriteTruncatedUtf8(writer, json, settings.MaxValueBytes, TruncationMarker((int)Math.Min(int.MaxValue, json.Length + bytesCut)));
            }
        }
        finally
        {
            redacted?.Return();
            scratch.Return();
        }
    }

    // Whether an object's JSON needs the redacting copy: a key may name a secret, or a string may hold a secret-shaped
    // value. The strings of most types were all tested as the capped converter wrote them; only the JSON of the others
    // (a Uri property, an enum, a custom converter) is scanned now.
    private static bool NeedsRedaction(ReadOnlySpan<byte> json, Type type, bool stringMayHoldSecret, Redactor redactor, TypeShapes shapes)
    {
        var shape = shapes.Of(type);
        return shape.MayHaveSecretKeys || (shape.StringsScannedAsWritten ? stringMayHoldSecret : redactor.MayHoldSecretValue(json));
    }

    /// <summary>Tests a string the capped converter writes inside an object (the part the cap keeps, and a margin).</summary>
    internal static void NoteObjectString(string text, int maxBytes, Redactor redactor)
    {
        // The thread-static is touched only on a hit: most strings hold nothing, and each access costs a little.
        if (redactor.MayHoldSecretValue(ScannedPart(text, maxBytes)))
        {
            t_objectStringMayHoldSecret = true;
        }
    }

    // Only the part the cap can keep (and a margin past it) is scanned: a huge string is not searched to its end
    // only to be cut.
    private static ReadOnlySpan<char> ScannedPart(string text, int maxBytes) =>
        text.Length <= (long)maxBytes + RedactionOverlapChars ? text.AsSpan() : text.AsSpan(0, maxBytes + RedactionOverlapChars);

    /// <summary>
    /// Values whose JSON would be meaningless or harmful: serializing a stream would read it, a task would block or
    /// race, a delegate or reflection object would dump metadata. They are recorded as their type name.
    /// </summary>
    private static bool IsNotRecordable(object value) =>
        value is Stream or Delegate or Task or ValueTask or MemberInfo or Assembly or WaitHandle or CancellationToken
            or CancellationTokenSource or IntPtr or UIntPtr or Pointer
        || value.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>);

    private static string UnserializablePlaceholder(Type type, Exception exception)
    {
        var reason = exception switch
        {
            JsonException when exception.Message.Contains("cycle", StringComparison.OrdinalIgnoreCase)
                => "not serializable: a reference cycle was detected",
            NotSupportedException or InvalidOperationException when exception.Message.Contains("JsonTypeInfo", StringComparison.Ordinal)
                => "not serializable: no JSON contract for this type (add a JsonSerializerContext through AgentTelemetry.Configure)",
            _ => "not serializable: " + exception.GetType().Name + ": " + exception.Message,
        };

        // Reaching here is expected for some values, but still worth counting: it means data was not recorded.
        FailOpen.Report("serializing a " + DisplayName(type), exception);
        return "<" + DisplayName(type) + ": " + reason + ">";
    }

    private static string DisplayName(Type type) => type.FullName ?? type.Name;

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string text, CaptureSettings settings)
    {
        var maxBytes = settings.MaxValueBytes;
        if (settings.Redactor is not { } redactor)
        {
            WriteCappedString(writer, text, maxBytes);
            return;
        }

        var scanned = ScannedPart(text, maxBytes);
        if (!redactor.MayHoldSecretValue(scanned))
        {
            WriteCappedString(writer, text, maxBytes);
        }
        else if (scanned.Length == text.Length)
        {
            WriteCappedString(writer, redactor.RedactText(text), maxBytes);
        }
        else
        {
            WriteTruncatedString(writer, redactor.RedactText(scanned.ToString()), Encoding.UTF8.GetByteCount(text), maxBytes);
        }
    }

    /// <summary>Writes a string cut to <paramref name="maxBytes"/> of UTF-8 with the marker naming its full size.</summary>
    internal static void WriteCappedString(Utf8JsonWriter writer, string text, int maxBytes)
    {
        // A cheap upper bound first: most strings are far below the cap and need no exact count.
        if (text.Length * 3 <= maxBytes)
        {
            writer.WriteStringValue(text);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(text);
        if (byteCount <= maxBytes)
        {
            writer.WriteStringValue(text);
        }
        else
        {
            WriteTruncatedString(writer, text, byteCount, maxBytes);
        }
    }

    private static void WriteTruncatedString(Utf8JsonWriter writer, string text, int byteCount, int maxBytes)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            // Not the final block: the encoder stops before a character that does not fit whole.
            Utf8.FromUtf16(text, bytes.AsSpan(0, maxBytes), out var charsRead, out var bytesKept, replaceInvalidSequences: true, isFinalBlock: false);
            var marker = TruncationMarker(byteCount);
            writer.WriteStringValue(string.Concat(text.AsSpan(0, charsRead), marker));
            t_bytesCut += byteCount - bytesKept - Encoding.UTF8.GetByteCount(marker);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static void WriteTruncatedUtf8(Utf8JsonWriter writer, ReadOnlySpan<byte> json, int maxBytes, string marker)
    {
        if (json.Length <= maxBytes)
        {
            writer.WriteStringValue(Encoding.UTF8.GetString(json) + marker);
            return;
        }

        var cut = maxBytes;

        // Step back to the start of a UTF-8 sequence so the prefix decodes cleanly.
        while (cut > 0 && (json[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        writer.WriteStringValue(Encoding.UTF8.GetString(json[..cut]) + marker);
    }

    internal static string TruncationMarker(int fullBytes) =>
        "…[truncated: " + fullBytes.ToString(CultureInfo.InvariantCulture) + " bytes]";

    // A value whose serialization was stopped at the limit: its full size is not known, only that it is larger.
    internal static string TruncationMarkerOver(int limitBytes) =>
        "…[truncated: more than " + limitBytes.ToString(CultureInfo.InvariantCulture) + " bytes]";
}
