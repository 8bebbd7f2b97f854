using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Instrumentation.Benchmarks.Targets;
using Microsoft.Extensions.AI;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Goal: with nothing listening, a generated wrapper costs at most 1 ns more than calling its body directly, and
/// allocates nothing. One category per result shape; in each, the baseline calls the <c>...Core</c> body (what the user
/// wrote) and the other calls the generated wrapper. No tracer provider exists in this process (checked in setup).
/// MediumRun (2 launches x 15 iterations) because the difference to resolve is about a nanosecond. The third row of the
/// <c>T</c>, <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c> groups is not generated code: the same split of fast
/// path and span work written by hand with the inlining forced (<see cref="SplitFastPathTools"/>), for reference.
/// </summary>
[MediumRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class NoListenerBenchmarks
{
    private readonly ForecastTools _tools = new();
    private readonly SplitFastPathTools _split = new();
    private ChatModel _model = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private string _city = "Paris";
    private int _days = 3;

    [GlobalSetup]
    public void Setup()
    {
        Tracing.AssertNothingListens();
        _model = new ChatModel(ChatModel.Answer());
        _messages = ChatModel.Conversation();
        _options = new ChatOptions();
    }

    [BenchmarkCategory("T"), Benchmark(Baseline = true, Description = "body, called directly")]
    public string Sync_Direct() => _tools.GetForecastCore(_city, _days);

    [BenchmarkCategory("T"), Benchmark(Description = "[Tool] wrapper")]
    public string Sync_Wrapper() => _tools.GetForecast(_city, _days);

    [BenchmarkCategory("T"), Benchmark(Description = "reference: hand-split, forced inline")]
    public string Sync_SplitFastPath() => _split.GetForecast(_city, _days);

    [BenchmarkCategory("Task<T>"), Benchmark(Baseline = true, Description = "body, called directly")]
    public string Task_Direct() => _tools.GetForecastAsyncCore(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("Task<T>"), Benchmark(Description = "[Tool] wrapper")]
    public string Task_Wrapper() => _tools.GetForecastAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("Task<T>"), Benchmark(Description = "reference: hand-split, forced inline")]
    public string Task_SplitFastPath() => _split.GetForecastAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Baseline = true, Description = "body, called directly")]
    public string ValueTask_Direct() => _tools.GetForecastValueAsyncCore(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Description = "[Tool] wrapper")]
    public string ValueTask_Wrapper() => _tools.GetForecastValueAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Description = "reference: hand-split, forced inline")]
    public string ValueTask_SplitFastPath() => _split.GetForecastValueAsync(_city, _days).GetAwaiter().GetResult();

    [BenchmarkCategory("LLM Task<ChatResponse>"), Benchmark(Baseline = true, Description = "body, called directly")]
    public ChatResponse Llm_Direct() => _model.CompleteAsyncCore(_messages, _options, CancellationToken.None).GetAwaiter().GetResult();

    [BenchmarkCategory("LLM Task<ChatResponse>"), Benchmark(Description = "[LlmCall] wrapper")]
    public ChatResponse Llm_Wrapper() => _model.CompleteAsync(_messages, _options).GetAwaiter().GetResult();
}
