using System;
using System.Text;
using BenchmarkDotNet.Attributes;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Redaction;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The parts of redaction's cost on their own (docs/benchmarks.md §9): the secret-value pre-filter on the values of
/// <see cref="RedactionBenchmarks"/>, as UTF-16 text and as the UTF-8 JSON the serializer wrote, and the secret-name
/// check of a key. Each is measured apart so the cost of capture with redaction on can be split into its parts.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PrefilterBenchmarks
{
    private static readonly Redactor s_redactor = Redactor.Default;

    private readonly string _prose = string.Join(' ', System.Linq.Enumerable.Repeat(
        "The quarterly report shows steady growth in every region, with the strongest results in the northern markets.", 40));

    private readonly string _message = "What will the weather be like in Paris this weekend? I am planning a bike ride along the Seine on Saturday.";

    private readonly byte[] _proseUtf8;
    private readonly byte[] _objectUtf8 = """{"City":"Paris","TemperatureC":18,"Summary":"Sunny spells with a light westerly wind, turning cloudy by evening.","Alerts":["wind","uv"]}"""u8.ToArray();

    public PrefilterBenchmarks() => _proseUtf8 = Encoding.UTF8.GetBytes(_prose);

    private static readonly CaptureSettings s_off = CaptureSettings.From(new AgentTelemetryOptions { Redaction = { Enabled = false } });

    /// <summary>What the prose costs to capture without redaction, for scale.</summary>
    [Benchmark]
    public string Prose_CaptureWithoutRedaction() => SpanJson.ToJson(_prose, s_off);

    private static readonly CaptureSettings s_on = CaptureSettings.From(new AgentTelemetryOptions());

    [Benchmark]
    public string Prose_CaptureWithRedaction() => SpanJson.ToJson(_prose, s_on);

    [Benchmark]
    public string Prose_FilterThenCaptureWithout() => s_redactor.MayHoldSecretValue(_prose.AsSpan()) ? "" : SpanJson.ToJson(_prose, s_off);

    [Benchmark]
    public bool Prose_Utf16() => s_redactor.MayHoldSecretValue(_prose.AsSpan());

    [Benchmark]
    public bool Prose_Utf8Json() => s_redactor.MayHoldSecretValue(_proseUtf8);

    [Benchmark]
    public bool Message_Utf16() => s_redactor.MayHoldSecretValue(_message.AsSpan());

    private readonly string _toolResult = """{"city":"Paris","temperatureC":18,"summary":"Sunny spells with a light westerly wind, turning cloudy by evening."}""";

    [Benchmark]
    public bool ToolResult_Utf16() => s_redactor.MayHoldSecretValue(_toolResult.AsSpan());

    [Benchmark]
    public string Arguments_JsonText() => JsonRedaction.RedactJsonText("""{"city":"Paris","days":3}""", s_redactor);

    [Benchmark]
    public bool Object_Utf8Json() => s_redactor.MayHoldSecretValue(_objectUtf8);

    [Benchmark]
    public bool Short_Utf16() => s_redactor.MayHoldSecretValue("Paris".AsSpan());

    [Benchmark]
    public bool Name_City() => s_redactor.IsSecretName("city");
}
