using System;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Recording a huge value (issue 14, item 2): an object holding a 50 MB string, recorded with the default 128 KiB cap.
/// The baseline is what the runtime did before: serialize the whole object, then cut the JSON to the cap. The runtime
/// now cuts each string to the cap as it is written and stops the object's serialization once it is past eight times
/// the cap, so the huge value costs about what the cap costs. Allocation is the measure (MemoryDiagnoser).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
public class LargeValueBenchmarks
{
    public sealed class Envelope
    {
        public string Name { get; set; } = "";

        public string Body { get; set; } = "";
    }

    private static readonly CaptureSettings s_settings = CaptureSettings.From(new AgentTelemetryOptions());

    private static readonly JsonSerializerOptions s_plain = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    private readonly Envelope _huge = new() { Name = "dump", Body = new string('x', 50 * 1024 * 1024) };

    [Benchmark(Baseline = true)]
    public string SerializeWholeThenCut()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(writer, _huge, s_plain);
        }

        var json = buffer.WrittenSpan;
        var cut = AgentTelemetryOptions.DefaultMaxValueBytes;
        while (cut > 0 && (json[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return JsonSerializer.Serialize(Encoding.UTF8.GetString(json[..cut]) + "…[truncated: " + json.Length + " bytes]");
    }

    [Benchmark]
    public string CappedWriter() => SpanJson.ToJson(_huge, s_settings);
}
