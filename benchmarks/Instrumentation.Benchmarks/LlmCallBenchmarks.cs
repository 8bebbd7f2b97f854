using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Instrumentation.Benchmarks.HandWritten;
using Instrumentation.Benchmarks.Targets;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The per-call cost of an <c>[LlmCall]</c> span with a listener attached (the same SDK set-up as
/// <see cref="ListenerBenchmarks"/>): a model call returning a <c>Task&lt;ChatResponse&gt;</c> that completed
/// synchronously, four request messages (system, user, an assistant tool call, the tool result) and a one-message answer
/// with usage. Three ways to trace it: the best hand-written code setting the same attributes (baseline), the generated
/// <c>[LlmCall]</c> wrapper (Microsoft.Extensions.AI adapter: usage extraction, response attributes, chat shapes), and
/// the generated plain <c>[Tool]</c> wrapper of the same method (a span and, with content on, the generic JSON of the
/// arguments and the result). With <see cref="CaptureContent"/> false nothing is serialized but usage; the difference
/// [LlmCall] - [Tool] there is what usage extraction and the LLM attributes cost, and [LlmCall] with content on minus
/// off is what chat-shape recording costs.
/// </summary>
[SimpleJob(launchCount: 2, warmupCount: 5, iterationCount: 15)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class LlmCallBenchmarks
{
    private ChatModel _model = null!;
    private HandWrittenChat _handWritten = null!;
    private List<ChatMessage> _messages = null!;
    private ChatOptions _options = null!;
    private TracerProvider? _provider;

    [Params(true, false)]
    public bool CaptureContent { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        AgentTelemetry.Configure(o => o.CaptureContent = CaptureContent);
        HandWrittenSource.CaptureContent = CaptureContent;
        _model = new ChatModel(ChatModel.Answer());
        _handWritten = new HandWrittenChat(_model);
        _messages = ChatModel.Conversation();
        _options = new ChatOptions();

        SpanCheck.AssertSameSpan("[LlmCall] Task<ChatResponse>", () => _model.CompleteAsync(_messages, _options).Wait(),
            () => _handWritten.CompleteAsync(_messages, _options).Wait());

        _provider = Tracing.Start(new DroppingExporter());
        Tracing.AssertListening();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider?.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written, same LLM attributes")]
    public ChatResponse HandWritten() => _handWritten.CompleteAsync(_messages, _options).GetAwaiter().GetResult();

    [Benchmark(Description = "[LlmCall] wrapper")]
    public ChatResponse LlmCall() => _model.CompleteAsync(_messages, _options).GetAwaiter().GetResult();

    [Benchmark(Description = "[Tool] wrapper, same method")]
    public ChatResponse PlainTool() => _model.CompletePlainAsync(_messages, _options).GetAwaiter().GetResult();
}
