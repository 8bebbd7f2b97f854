using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Instrumentation.Benchmarks.HandWritten;
using Instrumentation.Benchmarks.Targets;
using Instrumentation.Runtime;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Goal: with the OpenTelemetry SDK listening (AlwaysOn, an exporter that drops spans), a generated wrapper costs at most
/// 1.1 times the best hand-written ActivitySource code recording the same span. One category per result shape; in each,
/// the baseline is <see cref="HandWrittenTools"/>. <see cref="CaptureContent"/> false turns off the inputs and outputs
/// JSON on both sides (<c>AgentTelemetry.Configure(o =&gt; o.CaptureContent = false)</c>), so the difference between
/// the two values of the parameter is the cost of JSON capture on its own.
/// </summary>
[SimpleJob(launchCount: 2, warmupCount: 5, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class ListenerBenchmarks
{
    private readonly ForecastTools _tools = new();
    private readonly HandWrittenTools _handWritten = new();
    private TracerProvider? _provider;
    private string _city = "Paris";
    private int _days = 3;

    [Params(true, false)]
    public bool CaptureContent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        AgentTelemetry.Configure(o => o.CaptureContent = CaptureContent);
        HandWrittenSource.CaptureContent = CaptureContent;

        SpanCheck.AssertSameSpan("T", () => _tools.GetForecast(_city, _days), () => _handWritten.GetForecast(_city, _days));
        SpanCheck.AssertSameSpan("Task<T>", () => _tools.GetForecastAsync(_city, _days).Wait(), () => _handWritten.GetForecastAsync(_city, _days).Wait());
        SpanCheck.AssertSameSpan("ValueTask<T>", () => _tools.GetForecastValueAsync(_city, _days).AsTask().Wait(),
            () => _handWritten.GetForecastValueAsync(_city, _days).AsTask().Wait());

        _provider = Tracing.Start(new DroppingExporter());
        Tracing.AssertListening();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [BenchmarkCategory("T"), Benchmark(Baseline = true, Description = "hand-written")]
    public string Sync_HandWritten() => _handWritten.GetForecast(_city, _days);

    [BenchmarkCategory("T"), Benchmark(Description = "[Tool] wrapper")]
    public string Sync_Generated() => _tools.GetForecast(_city, _days);

    [BenchmarkCategory("Task<T>"), Benchmark(Baseline = true, Description = "hand-written")]
    public string Task_HandWritten() => _handWritten.GetForecastAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("Task<T>"), Benchmark(Description = "[Tool] wrapper")]
    public string Task_Generated() => _tools.GetForecastAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Baseline = true, Description = "hand-written")]
    public string ValueTask_HandWritten() => _handWritten.GetForecastValueAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Description = "[Tool] wrapper")]
    public string ValueTask_Generated() => _tools.GetForecastValueAsync(_city, _days).GetAwaiter().GetResult();
}
