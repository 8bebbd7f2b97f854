using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Instrumentation.Mlflow;

/// <summary>
/// Formats finished spans as the trace tree the console exporter prints: a pure function of the spans and the options,
/// shared by <c>AddTraceTreeConsoleExporter()</c> and any tool that wants the same view (the OpenClaw bridge).
/// </summary>
/// <remarks>
/// <para>Each trace is a header line, then one line per span, indented under its parent with box-drawing guides,
/// children in start order, and (optionally) an <c>in:</c> and an <c>out:</c> line under each span, then an empty
/// line:</para>
/// <code>
/// trace tr-4bf92f3577b34da6a3ce929d0e0e4736 · 4 spans · tokens 2500 in (1900 cached) / 42 out
/// AGENT RunAsync · 1.24 s · OK · session chat-42
/// │  in:  {"question":"What is the weather in Paris?"}
/// │  out: "It is 18 °C and sunny in Paris."
/// ├─ LLM CompleteAsync · 120 ms · OK · gpt-4o-mini · tokens 1200 in (800 cached) / 30 out
/// │     in:  {"messages":[{"role":"user","content":"What is the weather in Paris?"}],"model":"gpt-4o-mini"}
/// ├─ TOOL GetForecast · 1 ms · ERROR City not found: Atlantis
/// │     in:  {"city":"Atlantis"}
/// └─ LLM CompleteAsync · 95 ms · OK · tokens 1300 in (1100 cached) / 12 out
/// </code>
/// <para>A span line is: type (<c>mlflow.spanType</c>, else the span kind), name, duration, status (<c>OK</c>, or
/// <c>ERROR</c> and the message; nothing when unset), <c>INCOMPLETE</c> and the reason for a span marked
/// <c>instrumentation.incomplete</c>, model (<c>mlflow.llm.model</c>), tokens (<c>mlflow.chat.tokenUsage</c>), cost
/// (<c>mlflow.llm.cost</c>), session and user. The trace line carries MLflow's trace id (<c>tr-</c> and the OTLP trace
/// id), the span count, and the tokens and cost summed over every span, as MLflow sums them. A trace whose root span
/// has not ended is marked <c>INCOMPLETE</c>; its spans whose parent is missing are printed at the top level, marked
/// <c>parent not seen</c>.</para>
/// <para>Values are made safe for a terminal: line breaks and control characters become spaces, and <c>in:</c>,
/// <c>out:</c> and status messages are cut to <see cref="TraceTreeOptions.MaxValueChars"/> characters, ending with
/// <c>…</c>.</para>
/// </remarks>
public static class TraceTreeFormatter
{
    private const string Branch = "├─ ";
    private const string LastBranch = "└─ ";
    private const string Pipe = "│  ";
    private const string Blank = "   ";

    /// <summary>Formats spans of any number of traces: each trace separately, in the order the traces started.</summary>
    /// <param name="spans">Finished spans, in any order.</param>
    /// <param name="options">Width, inputs and outputs, colors. Default: <see cref="TraceTreeOptions"/> defaults
    /// without color. <see cref="TraceTreeOptions.Output"/> is not used.</param>
    public static string Format(IEnumerable<TraceTreeSpan> spans, TraceTreeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spans);
        options ??= new TraceTreeOptions { UseColor = false };
        var builder = new StringBuilder();
        foreach (var trace in spans.GroupBy(s => s.TraceId).OrderBy(g => g.Min(s => s.StartTimeUtc)))
        {
            builder.Append(FormatTrace(trace.ToList(), options, TraceNote.None));
        }

        return builder.ToString();
    }

    /// <summary>Formats the spans of one trace.</summary>
    /// <param name="spans">Finished spans of one trace, in any order.</param>
    /// <param name="options">Width, inputs and outputs, colors (see <see cref="Format"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="spans"/> is empty or holds spans of several traces.</exception>
    public static string FormatTrace(IReadOnlyCollection<TraceTreeSpan> spans, TraceTreeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0)
        {
            throw new ArgumentException("There are no spans to format.", nameof(spans));
        }

        var traceId = spans.First().TraceId;
        if (spans.Any(s => s.TraceId != traceId))
        {
            throw new ArgumentException("The spans belong to several traces; use Format to print each.", nameof(spans));
        }

        return FormatTrace(spans, options ?? new TraceTreeOptions { UseColor = false }, TraceNote.None);
    }

    internal static string FormatTrace(IReadOnlyCollection<TraceTreeSpan> spans, TraceTreeOptions options, TraceNote note)
    {
        var writer = new TreeWriter(options);
        var nodes = TraceForest.Build(spans, out var topLevel);
        var complete = spans.Any(s => s.IsRoot);
        TraceHeaderLine.Write(writer, spans.First().TraceId, spans, complete, note);
        var printed = new HashSet<TraceTreeNode>();
        for (var i = 0; i < topLevel.Count; i++)
        {
            Render(writer, topLevel[i], prefix: string.Empty, connector: null, isLast: true, orphanMarks: note != TraceNote.Continuation, printed);
        }

        // Spans not reachable from the top level (only possible with duplicate or cyclic ids): print them anyway.
        foreach (var node in nodes.Where(n => !printed.Contains(n)).OrderBy(n => n.Span.StartTimeUtc).ToList())
        {
            if (!printed.Contains(node))
            {
                Render(writer, node, string.Empty, null, true, orphanMarks: true, printed);
            }
        }

        writer.EndTrace();
        return writer.ToString();
    }

    /// <inheritdoc cref="DisplayText.Duration"/>
    internal static string FormatDuration(TimeSpan duration) => DisplayText.Duration(duration);

    /// <inheritdoc cref="DisplayText.OneLine"/>
    internal static string OneLine(string text, int max = int.MaxValue) => DisplayText.OneLine(text, max);

    private static void Render(TreeWriter writer, TraceTreeNode node, string prefix, bool? connector, bool isLast, bool orphanMarks, HashSet<TraceTreeNode> printed)
    {
        if (!printed.Add(node))
        {
            return;
        }

        // connector: null for a top-level span; otherwise the span hangs from its parent's guide.
        var own = connector is null ? string.Empty : isLast ? LastBranch : Branch;
        var below = connector is null ? string.Empty : isLast ? Blank : Pipe;
        SpanLine.Write(writer, prefix + own, node.Span, orphanMarks && node.ParentMissing);
        if (writer.Options.ShowInputsAndOutputs)
        {
            SpanContentLines.Write(writer, prefix + below + (node.Children.Count > 0 ? Pipe : Blank), node.Span);
        }

        for (var i = 0; i < node.Children.Count; i++)
        {
            Render(writer, node.Children[i], prefix + below, connector: true, isLast: i == node.Children.Count - 1, orphanMarks, printed);
        }
    }

    internal enum TraceNote
    {
        /// <summary>A trace printed because its root ended, or at a flush.</summary>
        None,

        /// <summary>Spans that ended after their trace was printed.</summary>
        Continuation,

        /// <summary>Printed early because the buffer was full.</summary>
        BufferFull,
    }
}
