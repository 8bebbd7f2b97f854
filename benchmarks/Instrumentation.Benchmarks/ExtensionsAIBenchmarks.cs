using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// One agent turn through a Microsoft.Extensions.AI pipeline on a scripted model (no network): the model asks for two
/// get_forecast calls, the function-invoking client runs them, the model answers. Five pipelines (no telemetry,
/// <c>UseMlflowTracing()</c> with content capture on and off, Microsoft's <c>UseOpenTelemetry()</c> with and without its sensitive-data switch, which
/// is what records content), each with the OpenTelemetry SDK listening (AlwaysOn, simple processor, an exporter that
/// drops the spans) and without any listener. <see cref="FailingTurn"/> is the same turn with one call that throws.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 6, iterationCount: 15)]
public class ExtensionsAIBenchmarks
{
    private const string MicrosoftSourceName = "Benchmarks.Microsoft.Extensions.AI";

    private IChatClient _client = null!;
    private TracerProvider? _provider;
    private ChatOptions _options = null!;
    private ChatOptions _failingOptions = null!;
    private List<ChatMessage> _question = null!;

    /// <summary>The telemetry in the pipeline, between the function-invoking client and the model.</summary>
    public enum Telemetry
    {
        None,
        UseMlflowTracing,

        /// <summary><c>UseMlflowTracing()</c> with content capture off: no messages, tools, arguments or results, as
        /// <c>UseOpenTelemetry()</c> records by default.</summary>
        UseMlflowTracingCaptureOff,
        UseOpenTelemetry,
        UseOpenTelemetrySensitive,
    }

    [Params(Telemetry.None, Telemetry.UseMlflowTracing, Telemetry.UseMlflowTracingCaptureOff, Telemetry.UseOpenTelemetry, Telemetry.UseOpenTelemetrySensitive)]
    public Telemetry Pipeline { get; set; }

    [Params(false, true)]
    public bool Listener { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new TurnModel().AsBuilder().UseFunctionInvocation();
        builder = Pipeline switch
        {
            Telemetry.UseMlflowTracing or Telemetry.UseMlflowTracingCaptureOff => builder.UseMlflowTracing(),
            Telemetry.UseOpenTelemetry => builder.UseOpenTelemetry(sourceName: MicrosoftSourceName),
            Telemetry.UseOpenTelemetrySensitive => builder.UseOpenTelemetry(sourceName: MicrosoftSourceName, configure: c => c.EnableSensitiveData = true),
            _ => builder,
        };
        _client = builder.Build();
        AgentTelemetry.Configure(o => o.CaptureContent = Pipeline != Telemetry.UseMlflowTracingCaptureOff);

        var forecast = AIFunctionFactory.Create((string city) => new Forecast(city, "sunny", 18), "get_forecast", "Gets today's forecast for a city.");
        var failing = AIFunctionFactory.Create((string city) => city == "Atlantis" ? throw new InvalidOperationException("City not found: Atlantis") : new Forecast(city, "sunny", 18),
            "get_forecast", "Gets today's forecast for a city.");
        _options = new ChatOptions { Instructions = "You are a concise weather assistant.", Tools = [forecast] };
        _failingOptions = new ChatOptions { Instructions = "You are a concise weather assistant.", Tools = [failing] };
        _question = [new ChatMessage(ChatRole.User, "What's the weather in Paris and Atlantis?")];

        if (Listener)
        {
            _provider = Sdk.CreateTracerProviderBuilder()
                .AddAgentInstrumentation()
                .AddSource(MicrosoftSourceName)
                .SetSampler(new AlwaysOnSampler())
                .AddProcessor(new SimpleActivityExportProcessor(new DroppingExporter()))
                .Build();
            if (!AgentTelemetry.IsEnabled)
            {
                throw new InvalidOperationException("The tracer provider does not listen to " + AgentTelemetry.SourceName + ".");
            }
        }
        else
        {
            Tracing.AssertNothingListens();
        }

        // Once, before measuring: the turn does what it should (three messages back: calls, results, answer).
        var response = _client.GetResponseAsync(_question, _options).GetAwaiter().GetResult();
        if (response.Messages.Count != 3 || response.Text != TurnModel.Answer)
        {
            throw new InvalidOperationException("The scripted turn did not run: " + response.Messages.Count + " messages, '" + response.Text + "'.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        AgentTelemetry.Configure(o => o.CaptureContent = true);
    }

    [Benchmark(Description = "turn: 2 model calls, 2 tool calls")]
    public Task<ChatResponse> Turn() => _client.GetResponseAsync(_question, _options);

    [Benchmark(Description = "turn with a failing tool call")]
    public Task<ChatResponse> FailingTurn() => _client.GetResponseAsync(_question, _failingOptions);

    public sealed record Forecast(string City, string Condition, int TemperatureC);

    /// <summary>The model of the turn: asks for the two forecasts, then, once it has the results, answers.</summary>
    internal sealed class TurnModel : IChatClient
    {
        public const string Answer = "Paris: sunny, 18 °C. I could not get a forecast for Atlantis.";
        private static readonly ChatClientMetadata s_metadata = new("openai", new Uri("https://api.openai.com/v1"), "gpt-4o-mini");

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var hasResults = messages is IList<ChatMessage> list && list.Count > 0 && list[^1].Role == ChatRole.Tool;
            var message = hasResults
                ? new ChatMessage(ChatRole.Assistant, Answer)
                : new ChatMessage(ChatRole.Assistant,
                [
                    new FunctionCallContent("call_1", "get_forecast", new Dictionary<string, object?> { ["city"] = "Paris" }),
                    new FunctionCallContent("call_2", "get_forecast", new Dictionary<string, object?> { ["city"] = "Atlantis" }),
                ]);
            return Task.FromResult(new ChatResponse(message)
            {
                ResponseId = hasResults ? "resp-2" : "resp-1",
                ModelId = "gpt-4o-mini-2024-07-18",
                FinishReason = hasResults ? ChatFinishReason.Stop : ChatFinishReason.ToolCalls,
                Usage = new UsageDetails { InputTokenCount = 420, OutputTokenCount = 20, TotalTokenCount = 440, CachedInputTokenCount = 256 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException("The benchmark does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceKey is null && serviceType == typeof(ChatClientMetadata) ? s_metadata : null;

        public void Dispose()
        {
        }
    }
}
