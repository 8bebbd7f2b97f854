using System;
using System.Diagnostics;
using System.Threading;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// Starts tool spans: MLflow span type <c>TOOL</c>, <c>gen_ai.operation.name</c> = <c>execute_tool</c>.
/// </summary>
public static class ToolSpan
{
    /// <summary>The <c>gen_ai.tool.type</c> of a tool implemented by a method: <c>function</c>.</summary>
    public const string FunctionToolType = "function";

    private const string InvocationProperty = "Instrumentation.ToolInvocation";

    /// <summary>Starts a tool span.</summary>
    /// <remarks>Started directly inside a span from <see cref="StartInvocation"/> (the span is
    /// <see cref="Activity.Current"/>), the first such call returns a span that does nothing: the invocation's span is this
    /// tool call's span, so a <c>[Tool]</c> method handed to a function-calling loop is traced once, not twice.</remarks>
    /// <param name="name">The tool's name: the span name and <c>gen_ai.tool.name</c>.</param>
    /// <param name="description">What the tool does, recorded as <c>gen_ai.tool.description</c>.</param>
    /// <param name="callId">The model's id for this tool call, recorded as <c>gen_ai.tool.call.id</c>.</param>
    /// <param name="toolType">The <c>gen_ai.tool.type</c>. Default: <c>function</c>.</param>
    /// <param name="startTime">When the span started, for a replayed span. Default: now.</param>
    /// <param name="parent">The parent context. Default: <see cref="Activity.Current"/>.</param>
    public static LiveSpan Start(string name, string? description = null, string? callId = null,
        string toolType = FunctionToolType, DateTimeOffset startTime = default, ActivityContext parent = default)
    {
        if (startTime == default && parent == default && Activity.Current is { } current
            && current.GetCustomProperty(InvocationProperty) is InvocationClaim claim && claim.TryClaim())
        {
            return default;
        }

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

    /// <summary>
    /// Starts the span of a tool call that a framework makes on the model's behalf (Microsoft.Extensions.AI's function
    /// invocation, say), where the framework knows the call id, the arguments as the model sent them and the result as
    /// the model receives it. The first <see cref="Start"/> made directly inside it (a <c>[Tool]</c> method the
    /// invoked function runs) records nothing of its own, so the call has one TOOL span, not two.
    /// </summary>
    /// <param name="name">The tool's name, as the model called it: the span name and <c>gen_ai.tool.name</c>.</param>
    /// <param name="description">What the tool does, recorded as <c>gen_ai.tool.description</c>.</param>
    /// <param name="callId">The model's id for this tool call, recorded as <c>gen_ai.tool.call.id</c>.</param>
    public static LiveSpan StartInvocation(string name, string? description = null, string? callId = null)
    {
        var span = Start(name, description, callId);
        span.Activity?.SetCustomProperty(InvocationProperty, new InvocationClaim());
        return span;
    }

    /// <summary>Lets exactly one method span yield to the invocation's span, even when tools run concurrently.</summary>
    private sealed class InvocationClaim
    {
        private int _claimed;

        public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
    }
}
