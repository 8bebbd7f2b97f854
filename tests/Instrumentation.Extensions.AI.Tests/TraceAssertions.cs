using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing;

namespace Instrumentation.Extensions.AI.Tests;

/// <summary>Reading the collected spans of the weather session.</summary>
internal static class TraceAssertions
{
    public static List<Activity> OfType(this SpanCollector spans, string spanType) =>
        spans.Spans.Where(s => s.Tag(MlflowAttributes.SpanType) == spanType).OrderBy(s => s.StartTimeUtc).ToList();

    /// <summary>The span types in start order, as MLflow's tree lists them: "AGENT", "LLM", "TOOL", ...</summary>
    public static List<string?> TypesInStartOrder(this SpanCollector spans) =>
        spans.Spans.OrderBy(s => s.StartTimeUtc).Select(s => s.Tag(MlflowAttributes.SpanType)).ToList();
}
