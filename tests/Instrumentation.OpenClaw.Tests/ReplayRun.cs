using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>Replays hook lines with a span collector attached and gives the spans, grouped into traces.</summary>
internal sealed class ReplayRun
{
    private ReplayRun(OpenClawReplay replay, IReadOnlyList<Activity> spans, List<string> errors)
    {
        Replay = replay;
        Spans = spans;
        Errors = errors;
    }

    public OpenClawReplay Replay { get; }

    public IReadOnlyList<Activity> Spans { get; }

    /// <summary>The malformed-line errors, as "file:line: reason".</summary>
    public List<string> Errors { get; }

    public ReplayStatistics Stats => Replay.Statistics;

    public static ReplayRun OfCapture(string fileName, OpenClawReplayOptions? options = null) =>
        OfLines(File.ReadAllLines(Captures.PathOf(fileName)), fileName, options);

    public static ReplayRun OfLines(IEnumerable<string> lines, string label = "test.jsonl", OpenClawReplayOptions? options = null)
    {
        using var collector = new SpanCollector();
        var replay = new OpenClawReplay(options);
        var errors = new List<string>();
        long number = 0;
        foreach (var line in lines)
        {
            number++;
            var result = HookLineParser.Parse(line, new SourcePosition(label, number));
            if (replay.Process(result) is { } error)
            {
                errors.Add(result.Position + ": " + error);
            }
        }

        replay.Complete();
        return new ReplayRun(replay, collector.Spans, errors);
    }

    public IEnumerable<Activity> OfType(string mlflowType) =>
        Spans.Where(s => (s.GetTagItem("mlflow.spanType") as string) == mlflowType).OrderBy(s => s.StartTimeUtc);

    public IEnumerable<Activity> Roots => Spans.Where(s => s.ParentSpanId == default).OrderBy(s => s.StartTimeUtc);

    public IEnumerable<Activity> ChildrenOf(Activity parent) =>
        Spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId).OrderBy(s => s.StartTimeUtc);

    public Activity RootOf(Activity span)
    {
        var current = span;
        while (Spans.FirstOrDefault(s => s.SpanId == current.ParentSpanId && s.TraceId == current.TraceId) is { } parent)
        {
            current = parent;
        }

        return current;
    }

    /// <summary>The nearest AGENT span at or above <paramref name="span"/>: the turn it belongs to.</summary>
    public Activity? TurnOf(Activity span)
    {
        var current = span;
        while (true)
        {
            var parent = Spans.FirstOrDefault(s => s.SpanId == current.ParentSpanId && s.TraceId == current.TraceId);
            if (parent is null)
            {
                return null;
            }

            if ((parent.GetTagItem("mlflow.spanType") as string) == "AGENT")
            {
                return parent;
            }

            current = parent;
        }
    }

    /// <summary>An indented tree of every trace: "TYPE name [status] (duration)".</summary>
    public string Tree()
    {
        var builder = new StringBuilder();
        foreach (var root in Roots)
        {
            Write(builder, root, 0);
        }

        return builder.ToString();
    }

    private void Write(StringBuilder builder, Activity span, int depth)
    {
        builder.Append(' ', depth * 2)
            .Append(span.GetTagItem("mlflow.spanType")).Append(' ').Append(span.DisplayName)
            .Append(" [").Append(span.Status).Append(span.StatusDescription is { } d ? ": " + d : string.Empty).Append(']')
            .Append(" (").Append(span.Duration.TotalMilliseconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).Append(" ms)")
            .AppendLine();
        foreach (var child in ChildrenOf(span))
        {
            Write(builder, child, depth + 1);
        }
    }
}
