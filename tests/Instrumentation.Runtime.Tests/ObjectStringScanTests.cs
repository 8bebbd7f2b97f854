using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Instrumentation.Runtime.Redaction;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// An object's JSON is not scanned again when every string in it was tested as the capped string converter wrote it
/// (<see cref="TypeShape.StringsScannedAsWritten"/>). Each test here is a way a string could reach the JSON without
/// passing that converter, or a way the test could be lost, and shows the secret is still redacted.
/// </summary>
public sealed class ObjectStringScanTests
{
    private const string AwsKey = "AKIAIOSFODNN7EXAMPLE";
    private const string OpenAiKey = "sk-proj-AbCdEf0123456789abcdefXYZ";

    private static readonly CaptureSettings s_default = CaptureSettings.From(new AgentTelemetryOptions());

    public enum Region
    {
        Europe,
        AKIAIOSFODNN7EXAMPLE,
    }

    public sealed record Forecast(string City, int TemperatureC, DateTimeOffset At, Guid Id, IReadOnlyList<string> Alerts);

    public sealed record Located(string City, Region Region);

    public sealed record Nested(string Name, Forecast[] Days);

    /// <summary>A string converter of the user's own: writes the value as it is, without the capped one's test.</summary>
    public sealed class Verbatim : JsonConverter<string>
    {
        public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString()!;

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    public sealed record Annotated(string Name, [property: JsonConverter(typeof(Verbatim))] string Note);

    [Fact]
    public void A_type_of_strings_numbers_dates_and_guids_is_scanned_as_written_and_one_with_an_enum_or_uri_is_not()
    {
        var shapes = s_default.TypeShapes!;

        Assert.True(shapes.Of(typeof(Forecast)).StringsScannedAsWritten);
        Assert.True(shapes.Of(typeof(Nested)).StringsScannedAsWritten);
        Assert.False(shapes.Of(typeof(Located)).StringsScannedAsWritten);
        Assert.False(shapes.Of(typeof(Annotated)).StringsScannedAsWritten);
        Assert.False(shapes.Of(typeof(RedactionTests.Endpoint)).StringsScannedAsWritten);
    }

    [Fact]
    public void A_secret_in_a_nested_list_of_records_is_redacted_though_the_json_is_not_scanned_again()
    {
        var day = new Forecast("Paris", 18, DateTimeOffset.UnixEpoch, Guid.Empty, ["wind", "use " + OpenAiKey]);

        var json = SpanJson.ToJson(new Nested("week", [day, day with { Alerts = [] }]), s_default);

        Assert.Contains("\"use [REDACTED]\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAiKey, json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_enum_name_shaped_like_a_secret_is_redacted_because_enums_are_scanned_in_the_json()
    {
        var json = SpanJson.ToJson(new Located("Paris", Region.AKIAIOSFODNN7EXAMPLE), s_default);

        Assert.Equal("""{"City":"Paris","Region":"[REDACTED]"}""", json);
    }

    [Fact]
    public void A_string_written_by_a_property_converter_is_scanned_in_the_json()
    {
        var json = SpanJson.ToJson(new Annotated("n", "key " + OpenAiKey), s_default);

        Assert.Equal("""{"Name":"n","Note":"key [REDACTED]"}""", json);
    }

    [Fact]
    public void Strings_written_by_the_users_own_string_converter_are_scanned_in_the_json()
    {
        // The user's converters come before the capped one, so it never sees these strings.
        var user = new JsonSerializerOptions();
        user.Converters.Add(new Verbatim());
        var settings = CaptureSettings.From(new AgentTelemetryOptions { JsonSerializerOptions = user });

        Assert.False(settings.TypeShapes!.Of(typeof(Forecast)).StringsScannedAsWritten);
        var json = SpanJson.ToJson(new Forecast("Paris", 18, DateTimeOffset.UnixEpoch, Guid.Empty, [AwsKey]), settings);
        Assert.Contains("\"Alerts\":[\"[REDACTED]\"]", json, StringComparison.Ordinal);
    }

    public sealed class Outer
    {
        public string First { get; init; } = "";

        // A getter that records another value while the outer one is being serialized, as a traced method would.
        public string Second => SpanJson.ToJson(new Forecast("Oslo", 2, DateTimeOffset.UnixEpoch, Guid.Empty, []), s_default);
    }

    [Fact]
    public void A_value_recorded_while_an_object_is_serialized_does_not_clear_what_the_object_found()
    {
        var json = SpanJson.ToJson(new Outer { First = "use " + OpenAiKey }, s_default);

        Assert.StartsWith("""{"First":"use [REDACTED]",""", json, StringComparison.Ordinal);
    }
}
