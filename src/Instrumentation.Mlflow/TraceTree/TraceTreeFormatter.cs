using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using Instrumentation.Runtime.Conventions;

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
    private const string Separator = " · ";
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
        var nodes = BuildForest(spans, out var topLevel);
        var complete = spans.Any(s => s.IsRoot);
        writer.TraceHeader(spans.First().TraceId, spans, complete, note);
        var printed = new HashSet<Node>();
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

    private static List<Node> BuildForest(IReadOnlyCollection<TraceTreeSpan> spans, out List<Node> topLevel)
    {
        var nodes = spans.Select((s, i) => new Node(s, i)).OrderBy(n => n.Span.StartTimeUtc).ThenBy(n => n.Order).ToList();
        var byId = new Dictionary<ActivitySpanId, Node>();
        foreach (var node in nodes)
        {
            byId.TryAdd(node.Span.SpanId, node);
        }

        topLevel = new List<Node>();
        foreach (var node in nodes)
        {
            var span = node.Span;
            if (!span.IsRoot && span.ParentSpanId != span.SpanId && byId.TryGetValue(span.ParentSpanId, out var parent) && parent != node)
            {
                parent.Children.Add(node);
            }
            else
            {
                node.ParentMissing = !span.IsRoot;
                topLevel.Add(node);
            }
        }

        return nodes;
    }

    private static void Render(TreeWriter writer, Node node, string prefix, bool? connector, bool isLast, bool orphanMarks, HashSet<Node> printed)
    {
        if (!printed.Add(node))
        {
            return;
        }

        // connector: null for a top-level span; otherwise the span hangs from its parent's guide.
        var own = connector is null ? string.Empty : isLast ? LastBranch : Branch;
        var below = connector is null ? string.Empty : isLast ? Blank : Pipe;
        writer.SpanLine(prefix, own, node, orphanMarks && node.ParentMissing);
        if (writer.Options.ShowInputsAndOutputs)
        {
            var detailPrefix = prefix + below + (node.Children.Count > 0 ? Pipe : Blank);
            writer.ValueLine(detailPrefix, "in:  ", node.Span.GetAttribute(MlflowAttributes.SpanInputs));
            writer.ValueLine(detailPrefix, "out: ", node.Span.GetAttribute(MlflowAttributes.SpanOutputs));
        }

        for (var i = 0; i < node.Children.Count; i++)
        {
            Render(writer, node.Children[i], prefix + below, connector: true, isLast: i == node.Children.Count - 1, orphanMarks, printed);
        }
    }

    /// <summary>A duration for people: <c>850 µs</c>, <c>3.2 ms</c>, <c>120 ms</c>, <c>1.24 s</c>, <c>12.3 s</c>,
    /// <c>2 min 5 s</c>, <c>1 h 2 min</c>.</summary>
    internal static string FormatDuration(TimeSpan duration)
    {
        var inv = CultureInfo.InvariantCulture;
        var ticks = Math.Max(0, duration.Ticks);
        var micros = ticks / 10.0;
        if (Math.Round(micros) < 1)
        {
            return "<1 µs";
        }

        if (Math.Round(micros) < 1000)
        {
            return Math.Round(micros).ToString("0", inv) + " µs";
        }

        var millis = ticks / (double)TimeSpan.TicksPerMillisecond;
        if (Math.Round(millis, 1) < 10)
        {
            return millis.ToString("0.#", inv) + " ms";
        }

        if (Math.Round(millis) < 1000)
        {
            return Math.Round(millis).ToString("0", inv) + " ms";
        }

        var seconds = ticks / (double)TimeSpan.TicksPerSecond;
        if (Math.Round(seconds, 2) < 10)
        {
            return seconds.ToString("0.##", inv) + " s";
        }

        if (Math.Round(seconds, 1) < 60)
        {
            return seconds.ToString("0.#", inv) + " s";
        }

        var wholeSeconds = (long)Math.Round(seconds);
        if (wholeSeconds < 3600)
        {
            return $"{wholeSeconds / 60} min {wholeSeconds % 60} s";
        }

        var wholeMinutes = (long)Math.Round(seconds / 60);
        return $"{wholeMinutes / 60} h {wholeMinutes % 60} min";
    }

    /// <summary>One line, safe for a terminal: line breaks (with the indentation around them) and control characters
    /// become single spaces; cut to <paramref name="max"/> characters with <c>…</c> when longer.</summary>
    internal static string OneLine(string text, int max = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max == int.MaxValue ? text.Length : max + 1));
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                // Drop the whitespace that led up to the break and the indentation that follows it.
                while (builder.Length > 0 && builder[^1] == ' ')
                {
                    builder.Length--;
                }

                while (i + 1 < text.Length && text[i + 1] is ' ' or '\t' or '\r' or '\n')
                {
                    i++;
                }

                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
            if (builder.Length > max)
            {
                break;
            }
        }

        if (builder.Length <= max)
        {
            return builder.ToString();
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(builder[cut - 1]))
        {
            cut--;
        }

        return builder.ToString(0, cut) + "…";
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

    private sealed class Node
    {
        public Node(TraceTreeSpan span, int order)
        {
            Span = span;
            Order = order;
        }

        public TraceTreeSpan Span { get; }

        public int Order { get; }

        public List<Node> Children { get; } = new();

        public bool ParentMissing { get; set; }
    }

    /// <summary>Token counts of one span or a sum over spans.</summary>
    private struct Tokens
    {
        public long? Input;
        public long? Output;
        public long? Total;
        public long? CacheRead;
        public long? CacheWrite;

        public readonly bool HasAny => Input.HasValue || Output.HasValue || Total.HasValue;

        public static Tokens? Parse(object? value)
        {
            if (value is not string json || json.Length == 0)
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                var root = document.RootElement;
                var tokens = new Tokens
                {
                    Input = Read(root, "input_tokens"),
                    Output = Read(root, "output_tokens"),
                    Total = Read(root, "total_tokens"),
                    CacheRead = Read(root, "cache_read_input_tokens"),
                    CacheWrite = Read(root, "cache_creation_input_tokens"),
                };
                return tokens.HasAny || tokens.CacheRead.HasValue || tokens.CacheWrite.HasValue ? tokens : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public void Add(Tokens other)
        {
            Input = Sum(Input, other.Input);
            Output = Sum(Output, other.Output);
            Total = Sum(Total, other.Total);
            CacheRead = Sum(CacheRead, other.CacheRead);
            CacheWrite = Sum(CacheWrite, other.CacheWrite);
        }

        /// <summary><c>tokens 1200 in (800 cached, 100 cache write) / 30 out</c>.</summary>
        public override readonly string ToString()
        {
            var inv = CultureInfo.InvariantCulture;
            var parts = new List<string>(2);
            if (Input is { } input)
            {
                var text = input.ToString(inv) + " in";
                var cache = new List<string>(2);
                if (CacheRead is { } read)
                {
                    cache.Add(read.ToString(inv) + " cached");
                }

                if (CacheWrite is { } write)
                {
                    cache.Add(write.ToString(inv) + " cache write");
                }

                if (cache.Count > 0)
                {
                    text += " (" + string.Join(", ", cache) + ")";
                }

                parts.Add(text);
            }

            if (Output is { } output)
            {
                parts.Add(output.ToString(inv) + " out");
            }

            if (parts.Count == 0 && Total is { } total)
            {
                parts.Add(total.ToString(inv) + " total");
            }

            return parts.Count == 0 ? string.Empty : "tokens " + string.Join(" / ", parts);
        }

        private static long? Sum(long? a, long? b) => a is null ? b : b is null ? a : a + b;

        private static long? Read(JsonElement root, string name) =>
            root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)
                ? value
                : null;
    }

    private static double? ParseCost(object? value)
    {
        if (value is not string json || json.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("total_cost", out var total) && total.ValueKind == JsonValueKind.Number)
            {
                return total.GetDouble();
            }

            double? sum = null;
            foreach (var name in new[] { "input_cost", "output_cost" })
            {
                if (root.TryGetProperty(name, out var part) && part.ValueKind == JsonValueKind.Number)
                {
                    sum = (sum ?? 0) + part.GetDouble();
                }
            }

            return sum;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string FormatCost(double cost) => "$" + cost.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>Text as a string, whatever the attribute's type.</summary>
    private static string? AsText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => string.Equals(s.Trim(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>Writes lines, with or without ANSI colors.</summary>
    private sealed class TreeWriter
    {
        private const string Reset = "\u001b[0m";
        private const string Dim = "\u001b[2m";
        private const string Bold = "\u001b[1m";
        private const string Red = "\u001b[31m";
        private const string Green = "\u001b[32m";
        private const string Yellow = "\u001b[33m";

        private readonly StringBuilder _builder = new();
        private readonly bool _color;

        public TreeWriter(TraceTreeOptions options)
        {
            Options = options;
            _color = options.UseColor;
        }

        public TraceTreeOptions Options { get; }

        public void TraceHeader(ActivityTraceId traceId, IReadOnlyCollection<TraceTreeSpan> spans, bool complete, TraceNote note)
        {
            var parts = new List<string>
            {
                note == TraceNote.Continuation ? $"trace tr-{traceId.ToHexString()} (continued)" : $"trace tr-{traceId.ToHexString()}",
                spans.Count == 1 ? "1 span" : spans.Count.ToString(CultureInfo.InvariantCulture) + " spans",
            };

            Tokens? total = null;
            double? cost = null;
            foreach (var span in spans)
            {
                if (Tokens.Parse(span.GetAttribute(MlflowAttributes.ChatTokenUsage)) is { } tokens)
                {
                    var sum = total ?? default;
                    sum.Add(tokens);
                    total = sum;
                }

                if (ParseCost(span.GetAttribute(MlflowAttributes.LlmCost)) is { } spanCost)
                {
                    cost = (cost ?? 0) + spanCost;
                }
            }

            if (total is { } t && t.ToString() is { Length: > 0 } tokenText)
            {
                parts.Add(tokenText);
            }

            if (cost is { } c)
            {
                parts.Add(FormatCost(c));
            }

            var line = string.Join(Separator, parts);
            if (note == TraceNote.Continuation)
            {
                line += Separator + "ended after the trace was printed";
            }
            else if (!complete)
            {
                var reason = note == TraceNote.BufferFull ? "root span not ended, printed early (buffer full)" : "root span not ended";
                line += Separator + Paint(Yellow, "INCOMPLETE: " + reason);
            }

            _builder.Append(_color ? Bold + line + Reset : line).Append('\n');
        }

        public void SpanLine(string prefix, string connector, Node node, bool parentMissing)
        {
            var span = node.Span;
            AppendGuide(prefix + connector);
            var type = AsText(span.GetAttribute(MlflowAttributes.SpanType)) is { Length: > 0 } spanType
                ? OneLine(spanType)
                : span.Kind.ToString().ToUpperInvariant();
            _builder.Append(Paint(TypeColor(type), type)).Append(' ').Append(OneLine(span.Name));
            _builder.Append(Separator).Append(FormatDuration(span.Duration));

            switch (span.Status)
            {
                case ActivityStatusCode.Ok:
                    _builder.Append(Separator).Append(Paint(Green, "OK"));
                    break;
                case ActivityStatusCode.Error:
                    var message = span.StatusDescription is { Length: > 0 } description
                        ? description
                        : AsText(span.GetAttribute(CommonAttributes.ErrorType));
                    var error = message is { Length: > 0 } ? "ERROR " + OneLine(message, Options.MaxValueChars) : "ERROR";
                    _builder.Append(Separator).Append(Paint(Red, error));
                    break;
            }

            if (IsTrue(span.GetAttribute(InstrumentationAttributes.Incomplete)))
            {
                var reason = AsText(span.GetAttribute(InstrumentationAttributes.IncompleteReason));
                var text = reason is { Length: > 0 } ? "INCOMPLETE: " + OneLine(reason, Options.MaxValueChars) : "INCOMPLETE";
                _builder.Append(Separator).Append(Paint(Yellow, text));
            }

            if (AsText(span.GetAttribute(MlflowAttributes.LlmModel)) is { Length: > 0 } model)
            {
                _builder.Append(Separator).Append(OneLine(model));
            }

            if (Tokens.Parse(span.GetAttribute(MlflowAttributes.ChatTokenUsage)) is { } tokens && tokens.ToString() is { Length: > 0 } tokenText)
            {
                _builder.Append(Separator).Append(tokenText);
            }

            if (ParseCost(span.GetAttribute(MlflowAttributes.LlmCost)) is { } cost)
            {
                _builder.Append(Separator).Append(FormatCost(cost));
            }

            if (AsText(span.GetAttribute(CommonAttributes.SessionId)) is { Length: > 0 } session)
            {
                _builder.Append(Separator).Append("session ").Append(OneLine(session));
            }

            if (AsText(span.GetAttribute(CommonAttributes.UserId)) is { Length: > 0 } user)
            {
                _builder.Append(Separator).Append("user ").Append(OneLine(user));
            }

            if (parentMissing)
            {
                _builder.Append(Separator).Append(Paint(Yellow, "parent not seen"));
            }

            _builder.Append('\n');
        }

        public void ValueLine(string prefix, string label, object? value)
        {
            if (AsText(value) is not { Length: > 0 } text)
            {
                return;
            }

            AppendGuide(prefix);
            _builder.Append(Paint(Dim, label)).Append(OneLine(text, Options.MaxValueChars)).Append('\n');
        }

        public void EndTrace() => _builder.Append('\n');

        public override string ToString() => _builder.ToString();

        private void AppendGuide(string guide)
        {
            if (guide.Length == 0)
            {
                return;
            }

            _builder.Append(guide.AsSpan().Trim().IsEmpty ? guide : Paint(Dim, guide));
        }

        private string Paint(string color, string text) => _color ? color + text + Reset : text;

        private static string TypeColor(string type) => type switch
        {
            MlflowSpanTypes.Agent => "\u001b[1;35m",
            MlflowSpanTypes.Llm or MlflowSpanTypes.ChatModel => "\u001b[1;36m",
            MlflowSpanTypes.Tool => "\u001b[1;33m",
            MlflowSpanTypes.Retriever or MlflowSpanTypes.Embedding or MlflowSpanTypes.Reranker => "\u001b[1;34m",
            _ => Bold,
        };
    }
}
