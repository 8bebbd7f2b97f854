using System;
using BenchmarkDotNet.Attributes;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Redaction;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Benchmarks;

[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class ScratchBenchmarks
{
    private static readonly CaptureSettings s_off = CaptureSettings.From(new AgentTelemetryOptions { Redaction = { Enabled = false } });
    private static readonly CaptureSettings s_on = CaptureSettings.From(new AgentTelemetryOptions());
    private readonly string _prose = string.Join(' ', System.Linq.Enumerable.Repeat(
        "The quarterly report shows steady growth in every region, with the strongest results in the northern markets.", 40));

    [Benchmark]
    public string Off() => SpanJson.ToJson(_prose, s_off);

    [Benchmark]
    public string On() => SpanJson.ToJson(_prose, s_on);

    [Benchmark]
    public string Manual()
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            if (!Redactor.Default.MayHoldSecretValue(_prose.AsSpan()))
            {
                SpanJson.WriteCappedString(buffer.Writer, _prose, 128 * 1024);
            }

            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    [Benchmark]
    public string FilterAfter()
    {
        var json = SpanJson.ToJson(_prose, s_off);
        return Redactor.Default.MayHoldSecretValue(_prose.AsSpan()) ? "" : json;
    }
}
