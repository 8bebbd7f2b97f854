using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Benchmarks;

/// <summary>
/// What redaction adds to content capture (issue 14): each pair records the same value into span JSON with the
/// redaction policy off (baseline) and on (the default), calling the runtime's serialization directly so the ratio is
/// that of content capture alone, without the span around it. The values hold no secret, the common case: the cost
/// measured is the scan that decides there is nothing to redact (the literal-prefix pre-filter, the secret-name checks
/// of keys, the per-type decision whether an object can carry a secret-named key).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 5, iterationCount: 15)]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedactionBenchmarks
{
    public sealed record Forecast(string City, int TemperatureC, string Summary, IReadOnlyList<string> Alerts);

    private static readonly CaptureSettings s_off = CaptureSettings.From(new AgentTelemetryOptions { Redaction = { Enabled = false } });
    private static readonly CaptureSettings s_on = CaptureSettings.From(new AgentTelemetryOptions());

    private readonly Forecast _forecast = new("Paris", 18, "Sunny spells with a light westerly wind, turning cloudy by evening.", ["wind", "uv"]);

    private readonly Dictionary<string, object?> _arguments = new() { ["city"] = "Paris", ["days"] = 3, ["units"] = "metric" };

    private readonly List<RecordedChatMessage> _conversation =
    [
        new("system", "You are a weather assistant. Answer briefly, in the user's language, and cite the forecast you used."),
        new("user", "What will the weather be like in Paris this weekend? I am planning a bike ride along the Seine on Saturday."),
        new("assistant", null, [new RecordedToolCall("call_1", "get_forecast", """{"city":"Paris","days":3}""")]),
        new("tool", """{"city":"Paris","temperatureC":18,"summary":"Sunny spells with a light westerly wind, turning cloudy by evening."}""", ToolCallId: "call_1"),
    ];

    private readonly string _document = string.Join(' ', System.Linq.Enumerable.Repeat(
        "The quarterly report shows steady growth in every region, with the strongest results in the northern markets.", 40));

    [Benchmark(Baseline = true), BenchmarkCategory("tool inputs: a string and an int")]
    public string? ToolInputs_Off() => ToolInputs(s_off);

    [Benchmark, BenchmarkCategory("tool inputs: a string and an int")]
    public string? ToolInputs_On() => ToolInputs(s_on);

    [Benchmark(Baseline = true), BenchmarkCategory("object output: a record of 4 properties")]
    public string Object_Off() => SpanJson.ToJson(_forecast, s_off);

    [Benchmark, BenchmarkCategory("object output: a record of 4 properties")]
    public string Object_On() => SpanJson.ToJson(_forecast, s_on);

    [Benchmark(Baseline = true), BenchmarkCategory("tool-call arguments: a map of 3")]
    public string Arguments_Off() => SpanJson.MapToJson(_arguments, s_off);

    [Benchmark, BenchmarkCategory("tool-call arguments: a map of 3")]
    public string Arguments_On() => SpanJson.MapToJson(_arguments, s_on);

    [Benchmark(Baseline = true), BenchmarkCategory("chat inputs: 4 messages, one tool call")]
    public string Chat_Off() => ChatJson.Inputs(_conversation, "gpt-test", s_off);

    [Benchmark, BenchmarkCategory("chat inputs: 4 messages, one tool call")]
    public string Chat_On() => ChatJson.Inputs(_conversation, "gpt-test", s_on);

    [Benchmark(Baseline = true), BenchmarkCategory("text output: 4.5 KB of prose")]
    public string Text_Off() => SpanJson.ToJson(_document, s_off);

    [Benchmark, BenchmarkCategory("text output: 4.5 KB of prose")]
    public string Text_On() => SpanJson.ToJson(_document, s_on);

    private static string? ToolInputs(CaptureSettings settings)
    {
        var inputs = SpanInputs.Rent(settings);
        inputs.Add("city", "Paris");
        inputs.Add("days", 3);
        return inputs.Complete();
    }
}
