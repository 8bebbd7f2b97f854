using System.Diagnostics;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// Another library's GenAI span that records the same operation as one of ours: Microsoft's <c>UseOpenTelemetry()</c>
/// on the same agent or chat client as our <c>UseMlflowTracing()</c>, say. Ours is the one MLflow should show, so when
/// one of our spans starts directly inside such a span (or directly inside a foreign span that itself sits directly
/// inside our span of the same type), it is started beside it instead, under the foreign span's parent, and the foreign
/// span is marked. The foreign span then has no children of ours, and the MLflow exporter drops it: one span per
/// operation, and its token usage counted once.
/// </summary>
public static class MirroredSpans
{
    private const string MirroredProperty = "Instrumentation.MirroredBy";

    /// <summary>The name of Microsoft.Extensions.AI's function-invocation grouping span.</summary>
    public const string OrchestrateToolsSpanName = "orchestrate_tools";

    /// <summary>The custom property on our span that started beside a mirror: the span that was current before it,
    /// current again when ours ends (Activity.Stop alone would make the enclosing span current).</summary>
    internal const string ResumeProperty = "Instrumentation.Resume";

    /// <summary>The span to make current when <paramref name="activity"/> stops being current: the mirror it started
    /// beside while that is still running, otherwise its parent.</summary>
    internal static Activity? ResumeAfter(Activity activity) =>
        activity.GetCustomProperty(ResumeProperty) is Activity { IsStopped: false } resume ? resume : activity.Parent;

    /// <summary>Whether <paramref name="activity"/> is another library's span of an operation one of our spans records:
    /// marked when one of ours started beside it, or directly inside our span of the same type.</summary>
    /// <param name="activity">Any span.</param>
    public static bool IsMirrored(Activity activity) =>
        activity is not null
        && (activity.GetCustomProperty(MirroredProperty) is not null || DuplicatesParent(activity) || IsRedundantGroup(activity));

    /// <summary>
    /// The span a new span of ours of type <paramref name="spanType"/> should start under instead of
    /// <paramref name="current"/>: <paramref name="current"/> itself when it is ours or no mirror, otherwise the nearest
    /// enclosing span that is not a mirror (possibly <see langword="null"/>, at the top of a trace). Marks every mirror
    /// skipped.
    /// </summary>
    internal static Activity? EnclosingNonMirror(Activity current, string spanType, out bool skipped)
    {
        skipped = false;
        var candidate = current;
        while (candidate is not null && IsForeignMirror(candidate, spanType))
        {
            candidate.SetCustomProperty(MirroredProperty, spanType);
            skipped = true;
            candidate = candidate.Parent;
        }

        return candidate;
    }

    private static bool IsForeignMirror(Activity candidate, string spanType)
    {
        // Ours are typed from their start; an untyped span on our source is another library's (Microsoft.Extensions.AI
        // starts execute_tool spans on the source of the current invoke_agent span).
        if (ReferenceEquals(candidate.Source, AgentTelemetry.Source) && candidate.GetTagItem(MlflowAttributes.SpanType) is not null)
        {
            return false;
        }

        if (candidate.GetCustomProperty(MirroredProperty) is not null)
        {
            return true;
        }

        // Ours inside theirs: the same operation, one level apart. Theirs inside ours: DuplicatesParent.
        return GenAiType(candidate) == spanType || DuplicatesParent(candidate) || IsRedundantGroup(candidate);
    }

    /// <summary>
    /// Microsoft.Extensions.AI's <c>orchestrate_tools</c> span (no GenAI operation) groups one request's model and tool
    /// calls; directly inside our span (an agent run), or inside a mirror of one, our span already is that group.
    /// </summary>
    private static bool IsRedundantGroup(Activity activity) =>
        activity.DisplayName == OrchestrateToolsSpanName && activity.GetTagItem(MlflowAttributes.SpanType) is null
        && activity.Parent is { } parent
        && ((ReferenceEquals(parent.Source, AgentTelemetry.Source) && parent.GetTagItem(MlflowAttributes.SpanType) is not null)
            || parent.GetCustomProperty(MirroredProperty) is not null);

    /// <summary>A foreign GenAI span directly inside our span of the same MLflow type.</summary>
    private static bool DuplicatesParent(Activity activity) =>
        activity.Parent is { } parent && ReferenceEquals(parent.Source, AgentTelemetry.Source)
        && parent.GetTagItem(MlflowAttributes.SpanType) is string parentType
        && activity.GetTagItem(MlflowAttributes.SpanType) is null
        && GenAiType(activity) == parentType;

    private static string? GenAiType(Activity activity) =>
        GenAiSpanTypes.ForOperation(activity.GetTagItem(GenAiAttributes.OperationName) as string);
}
