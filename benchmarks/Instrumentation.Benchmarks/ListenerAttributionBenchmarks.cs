using System.Diagnostics;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Instrumentation.Benchmarks.HandWritten;
using Instrumentation.Runtime;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Sessions;
using Instrumentation.Runtime.Spans;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Where the generated wrapper's extra time over the hand-written baseline goes: the cost of each step the runtime takes
/// per span that the hand-written code does not, measured alone, on a live recorded tool span (the four tool
/// attributes set, current on this thread, same SDK set-up as <see cref="ListenerBenchmarks"/>). The steps:
/// <c>SpanFactory.Start</c> reads <c>TraceSession.Current</c>; <c>ToolSpan.Start</c> set <c>gen_ai.tool.description</c>
/// and <c>gen_ai.tool.call.id</c> even when they were null until commit f15a147 (a SetTag with null removes the key: a
/// list walk), which this measurement led to;
/// <c>LiveSpan.End</c> reads the status and <c>Activity.Current</c> before stopping. Then the content capture of the
/// benchmarked tool (inputs <c>{"city":"Paris","days":3}</c>, output <c>"sunny, 18 C"</c>, two SetTag) on a live span,
/// through the runtime's API (what the generated wrapper calls) and through the hand-written baseline's pooled writer,
/// and the runtime's steps one by one. Last, one step of the <c>[LlmCall]</c> chat recording: the JSON text of a tool
/// call's arguments, through the runtime (what the generated Microsoft.Extensions.AI adapter calls) and by hand.
/// </summary>
[SimpleJob(launchCount: 2, warmupCount: 5, iterationCount: 15)]
public class ListenerAttributionBenchmarks
{
    private TracerProvider? _provider;
    private Activity _span = null!;
    private LiveSpan _live;
    private string _city = "Paris";
    private int _days = 3;
    private string _result = "sunny, 18 C";
    private IDictionary<string, object?> _arguments = new Dictionary<string, object?> { ["city"] = "Paris" };

    [GlobalSetup]
    public void Setup()
    {
        AgentTelemetry.Configure(o => o.CaptureContent = true);
        _provider = Tracing.Start(new DroppingExporter());
        Tracing.AssertListening();
        _span = HandWrittenSource.Source.StartActivity("get_forecast")!;
        _span.SetTag("mlflow.spanType", "TOOL");
        _span.SetTag("gen_ai.operation.name", "execute_tool");
        _span.SetTag("gen_ai.tool.name", "get_forecast");
        _span.SetTag("gen_ai.tool.type", "function");
        _live = ToolSpan.Start("get_forecast");
        if (!_live.CapturesContent)
        {
            throw new System.InvalidOperationException("The runtime's span does not capture content.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _live.End();
        _span.Stop();
        _provider?.Dispose();
    }

    [Benchmark(Description = "TraceSession.Current (SpanFactory.Start)")]
    public TraceSession? SessionRead() => TraceSession.Current;

    [Benchmark(Description = "2 x SetTag(key, null) (ToolSpan.Start before f15a147)")]
    public Activity NullTags() => _span.SetTag("gen_ai.tool.description", null).SetTag("gen_ai.tool.call.id", null);

    [Benchmark(Description = "Status + Activity.Current read (LiveSpan.End)")]
    public bool EndGuard() => _span.Status == ActivityStatusCode.Unset && Activity.Current == _span;

    [Benchmark(Description = "for scale: 1 x SetTag(existing key, value)")]
    public Activity OverwriteTag() => _span.SetTag("gen_ai.tool.type", "function");

    [Benchmark(Description = "capture, hand-written: inputs + output JSON, 2 SetTag")]
    public Activity CaptureHandWritten() =>
        _live.Activity!.SetTag("mlflow.spanInputs", HandWrittenTools.InputsJson(_city, _days))
            .SetTag("mlflow.spanOutputs", HandWrittenTools.OutputJson(_result));

    [Benchmark(Description = "capture, runtime: BeginInputs, 2 Add, SetInputs, SetOutput")]
    public void CaptureRuntime()
    {
        var inputs = WrapperSpans.BeginInputs(_live);
        if (inputs is not null)
        {
            inputs.Add("city", _city);
            inputs.Add("days", _days);
            WrapperSpans.SetInputs(_live, inputs);
        }

        _live.SetOutput(_result);
    }

    [Benchmark(Description = "runtime step: BeginInputs + SetInputs of {}")]
    public void RuntimeEmptyInputs() => WrapperSpans.SetInputs(_live, WrapperSpans.BeginInputs(_live));

    [Benchmark(Description = "runtime step: SetOutput(string)")]
    public void RuntimeOutput() => _live.SetOutput(_result);

    [Benchmark(Description = "hand-written step: output JSON + SetTag")]
    public Activity HandWrittenOutput() => _live.Activity!.SetTag("mlflow.spanOutputs", HandWrittenTools.OutputJson(_result));

    [Benchmark(Description = "LLM step, runtime: ChatRequests.ArgumentsJson")]
    public string ArgumentsRuntime() => ChatRequests.ArgumentsJson(_arguments);

    [Benchmark(Description = "LLM step, hand-written: arguments JSON")]
    public string ArgumentsHandWritten() => HandWrittenChat.ArgumentsJson(_arguments);
}
