using System;
using System.Collections.Generic;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Instrumentation.Runtime.Spans;
using Microsoft.Extensions.AI;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// What recording a failed tool call costs on the failing call's thread: a TOOL span ended with
/// <see cref="LiveSpan.SetError(Exception)"/> (the stack trace formatted when exported), against the same span with the
/// exception event added eagerly (<see cref="Activity.AddException"/> formats <see cref="Exception.ToString"/> at once),
/// against no error. <see cref="FormatStackTrace"/> is the formatting itself, the work an exporter does later on its
/// own thread. The exception is a real one: thrown by a function that <see cref="AIFunctionFactory"/> invokes.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 6, iterationCount: 15)]
public class ExceptionEventBenchmarks
{
    private TracerProvider _provider = null!;
    private Exception _exception = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = Tracing.Start(new DroppingExporter());
        var failing = AIFunctionFactory.Create((string city) => city == "Atlantis" ? throw new InvalidOperationException("City not found: Atlantis") : city, "get_forecast");
        try
        {
            failing.InvokeAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["city"] = "Atlantis" })).AsTask().GetAwaiter().GetResult();
            throw new InvalidOperationException("The function did not fail.");
        }
        catch (InvalidOperationException ex) when (ex.Message == "City not found: Atlantis")
        {
            _exception = ex;
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true, Description = "TOOL span, no error")]
    public void NoError()
    {
        var span = ToolSpan.Start("get_forecast");
        span.End();
    }

    [Benchmark(Description = "SetError (stack trace formatted at export)")]
    public void SetError()
    {
        var span = ToolSpan.Start("get_forecast");
        span.SetError(_exception);
        span.End();
    }

    [Benchmark(Description = "AddException (stack trace formatted at once)")]
    public void AddExceptionEagerly()
    {
        var span = ToolSpan.Start("get_forecast");
        var activity = span.Activity!;
        activity.SetStatus(ActivityStatusCode.Error, _exception.Message);
        activity.SetTag("error.type", _exception.GetType().FullName);
        activity.AddException(_exception);
        span.End();
    }

    [Benchmark(Description = "Exception.ToString() alone (the exporter's share)")]
    public string FormatStackTrace() => _exception.ToString();
}
