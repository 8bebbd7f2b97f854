using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Instrumentation.Mlflow;

/// <summary>
/// Reads the tree out of one trace's spans: children under their parent in start order, and the spans to print at the
/// top level (the root, and any span whose parent is not among the spans, marked <see cref="TraceTreeNode.ParentMissing"/>).
/// </summary>
internal static class TraceForest
{
    /// <summary>Links every span to its parent.</summary>
    /// <param name="spans">The spans of one trace, in any order.</param>
    /// <param name="topLevel">The spans to print first, in start order.</param>
    /// <returns>Every node, in start order (a span seen twice with the same id keeps its first node as the parent).</returns>
    public static List<TraceTreeNode> Build(IReadOnlyCollection<TraceTreeSpan> spans, out List<TraceTreeNode> topLevel)
    {
        var nodes = spans.Select((s, i) => new TraceTreeNode(s, i)).OrderBy(n => n.Span.StartTimeUtc).ThenBy(n => n.Order).ToList();
        var byId = new Dictionary<ActivitySpanId, TraceTreeNode>();
        foreach (var node in nodes)
        {
            byId.TryAdd(node.Span.SpanId, node);
        }

        topLevel = new List<TraceTreeNode>();
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
}

/// <summary>One span in the printed tree.</summary>
internal sealed class TraceTreeNode
{
    public TraceTreeNode(TraceTreeSpan span, int order)
    {
        Span = span;
        Order = order;
    }

    public TraceTreeSpan Span { get; }

    /// <summary>Its position in the input, which breaks ties between spans that started at the same instant.</summary>
    public int Order { get; }

    public List<TraceTreeNode> Children { get; } = new();

    /// <summary>Whether the span has a parent that is not among the trace's spans.</summary>
    public bool ParentMissing { get; set; }
}
