using System;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;

namespace Instrumentation.Runtime.Tests;

/// <summary>What a tool span records as its inputs or output, for tests of value capture.</summary>
internal static class Recorded
{
    public static string? Output<T>(T value)
    {
        using var spans = new SpanCollector();
        using (var span = ToolSpan.Start("t"))
        {
            span.SetOutput(value);
        }

        return spans.Single("t").Tag("mlflow.spanOutputs");
    }

    public static string? Inputs(Action<SpanInputs> add)
    {
        using var spans = new SpanCollector();
        using (var span = ToolSpan.Start("t"))
        {
            var inputs = WrapperSpans.BeginInputs(span)!;
            add(inputs);
            WrapperSpans.SetInputs(span, inputs);
        }

        return spans.Single("t").Tag("mlflow.spanInputs");
    }
}
