using System;
using System.Diagnostics;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// Starts tool spans: MLflow span type <c>TOOL</c>, <c>gen_ai.operation.name</c> = <c>execute_tool</c>.
/// </summary>
public static class ToolSpan
{
    /// <summary>The <c>gen_ai.tool.type</c> of a tool implemented by a method: <c>function</c>.</summary>
    public const string FunctionToolType = "function";

    /// <summary>Starts a tool span.</summary>
    /// <param name="name">The tool's name: the span name and <c>gen_ai.tool.name</c>.</param>
    /// <param name="description">What the tool does, recorded as <c>gen_ai.tool.description</c>.</param>
    /// <param name="callId">The model's id for this tool call, recorded as <c>gen_ai.tool.call.id</c>.</param>
    /// <param name="toolType">The <c>gen_ai.tool.type</c>. Default: <c>function</c>.</param>
    /// <param name="startTime">When the span started, for a replayed span. Default: now.</param>
    /// <param name="parent">The parent context. Default: <see cref="Activity.Current"/>.</param>
    public static LiveSpan Start(string name, string? description = null, string? callId = null,
        string toolType = FunctionToolType, DateTimeOffset startTime = default, ActivityContext parent = default)
    {
        var activity = SpanFactory.Start(name, MlflowSpanTypes.Tool, ActivityKind.Internal, startTime, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.ExecuteTool);
            activity.SetTag(GenAiAttributes.ToolName, name);
            activity.SetTag(GenAiAttributes.ToolType, toolType);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.ToolDescription, description);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.ToolCallId, callId);
        }

        return new LiveSpan(activity);
    }
}
