using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Where the 0.39 KB per turn of <c>UseMlflowTracing()</c> without a listener comes from (docs/benchmarks.md §8): the
/// turn of <see cref="ExtensionsAIBenchmarks"/> with nothing listening, through three pipelines: no telemetry; a client
/// that does nothing but hand <see cref="FunctionInvokingChatClient"/> an <see cref="ActivitySource"/> nobody listens to;
/// and <c>UseMlflowTracing()</c>, which hands it the hook source. If the second allocates what the third does, the bytes
/// are the function-invoking client's, spent for any source before it asks whether anyone listens.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 6, iterationCount: 15)]
public class FunctionInvocationSourceBenchmarks
{
    private IChatClient _none = null!;
    private IChatClient _anySource = null!;
    private IChatClient _mlflow = null!;
    private ChatOptions _options = null!;
    private List<ChatMessage> _question = null!;

    [GlobalSetup]
    public void Setup()
    {
        _none = new ExtensionsAIBenchmarks.TurnModel().AsBuilder().UseFunctionInvocation().Build();
        _anySource = new ExtensionsAIBenchmarks.TurnModel().AsBuilder().UseFunctionInvocation().Use(inner => new SourceOnlyClient(inner)).Build();
        _mlflow = new ExtensionsAIBenchmarks.TurnModel().AsBuilder().UseFunctionInvocation().UseMlflowTracing().Build();
        _options = new ChatOptions { Tools = [AIFunctionFactory.Create((string city) => city + ": sunny", "get_forecast", "Gets today's forecast for a city.")] };
        _question = [new ChatMessage(ChatRole.User, "What's the weather in Paris and Atlantis?")];
        Tracing.AssertNothingListens();
        if (SourceOnlyClient.Source.HasListeners())
        {
            throw new InvalidOperationException("Something listens to " + SourceOnlyClient.Source.Name + ".");
        }
    }

    [Benchmark(Baseline = true, Description = "no telemetry")]
    public Task<ChatResponse> NoTelemetry() => _none.GetResponseAsync(_question, _options);

    [Benchmark(Description = "a source nobody listens to, handed to the function-invoking client")]
    public Task<ChatResponse> AnySource() => _anySource.GetResponseAsync(_question, _options);

    [Benchmark(Description = "UseMlflowTracing(), no listener")]
    public Task<ChatResponse> UseMlflowTracing() => _mlflow.GetResponseAsync(_question, _options);

    /// <summary>Answers the function-invoking client's request for an <see cref="ActivitySource"/>, and nothing else.</summary>
    private sealed class SourceOnlyClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public static readonly ActivitySource Source = new("Benchmarks.NobodyListens");

        public override object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ActivitySource) ? Source : base.GetService(serviceType, serviceKey);
    }
}
