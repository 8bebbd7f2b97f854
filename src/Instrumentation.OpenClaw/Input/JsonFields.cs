using System;
using System.Globalization;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Tolerant field access on a parsed hook line. The recorder writes <c>undefined</c> as <c>null</c> and OpenClaw adds
/// fields between releases (docs/openclaw-hooks.md §5.13), so a field that is absent, <c>null</c> or of an unexpected
/// type reads as "not there" instead of failing the line: a weird event must never stop a replay.
/// </summary>
internal static class JsonFields
{
    public static string? String(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long? Int64(this JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var whole) => whole,
            JsonValueKind.Number when value.TryGetDouble(out var real) && !double.IsNaN(real) && !double.IsInfinity(real)
                && Math.Abs(real) < 9e18 => (long)Math.Round(real),
            _ => null,
        };
    }

    public static double? Double(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var number) && !double.IsNaN(number) && !double.IsInfinity(number)
            ? number
            : null;

    public static decimal? Decimal(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDecimal(out var number)
            ? number
            : null;

    public static bool? Bool(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }
            : null;

    public static JsonElement Object(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : default;

    public static JsonElement Array(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value
            : default;

    /// <summary>The field as JSON text (any kind but <c>null</c>), to be recorded verbatim.</summary>
    public static string? RawJson(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.GetRawText()
            : null;

    public static bool IsObject(this JsonElement element) => element.ValueKind == JsonValueKind.Object;

    public static bool IsArray(this JsonElement element) => element.ValueKind == JsonValueKind.Array;

    /// <summary>A Unix-milliseconds field (OpenClaw's <c>timestamp</c>, <c>endedAt</c>) as a time.</summary>
    public static DateTimeOffset? UnixMs(this JsonElement obj, string name) =>
        obj.Int64(name) is { } ms && ms > 0 && ms < 253402300799999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    public static DateTimeOffset? IsoTime(this JsonElement obj, string name) =>
        obj.String(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
