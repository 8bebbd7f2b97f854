using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace Instrumentation.Mlflow;

/// <summary>
/// The first line of a trace: MLflow's trace id (<c>tr-</c> and the OTLP trace id), the span count, the tokens and cost
/// summed over every span, and why it is incomplete or printed late.
/// </summary>
internal static class TraceHeaderLine
{
    public static void Write(TreeWriter writer, ActivityTraceId traceId, IReadOnlyCollection<TraceTreeSpan> spans, bool complete, TraceTreeFormatter.TraceNote note)
    {
        var parts = new List<string>
        {
            note == TraceTreeFormatter.TraceNote.Continuation ? $"trace tr-{traceId.ToHexString()} (continued)" : $"trace tr-{traceId.ToHexString()}",
            spans.Count == 1 ? "1 span" : spans.Count.ToString(CultureInfo.InvariantCulture) + " spans",
        };

        var usage = UsageSummary.Sum(spans);
        if (usage.TokensText() is { Length: > 0 } tokenText)
        {
            parts.Add(tokenText);
        }

        if (usage.CostText() is { } cost)
        {
            parts.Add(cost);
        }

        var line = string.Join(TreeWriter.Separator, parts);
        if (note == TraceTreeFormatter.TraceNote.Continuation)
        {
            line += TreeWriter.Separator + "ended after the trace was printed";
        }
        else if (!complete)
        {
            var reason = note == TraceTreeFormatter.TraceNote.BufferFull ? "root span not ended, printed early (buffer full)" : "root span not ended";
            line += TreeWriter.Separator + writer.Paint(TreeWriter.Yellow, "INCOMPLETE: " + reason);
        }

        writer.Append(TreeWriter.Bold, line).EndLine();
    }
}
