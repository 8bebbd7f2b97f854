using System;
using System.Diagnostics;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.FunctionCalls;

/// <summary>
/// The hook for a <see cref="FunctionInvokingChatClient"/> outside the tracing client (the usual placement, after
/// <c>UseFunctionInvocation()</c>), which the tracing client cannot reach. That client asks its inner client for an
/// <see cref="ActivitySource"/> when it is built (how Microsoft.Extensions.AI finds the telemetry of a pipeline) and,
/// for each function call, starts an <c>execute_tool {name}</c> activity on it just before calling the function, with
/// <see cref="FunctionInvokingChatClient.CurrentContext"/> already set. The tracing client answers with
/// <see cref="Source"/>, whose only listener is this class: asked whether to sample the activity, it puts a
/// <see cref="TracingAIFunction"/> around the context's function (so the call gets a TOOL span through the runtime's span
/// types) and declines the activity, so no span without an MLflow span type is ever created.
/// </summary>
/// <remarks>Tested against Microsoft.Extensions.AI 11.0.0 (tests/Instrumentation.Extensions.AI.Tests): if a later
/// version stops starting the activity before the call, the tests that expect TOOL spans in this placement fail.</remarks>
internal static class FunctionInvocationHook
{
    /// <summary>The name of <see cref="Source"/>. Nothing exports it: no activity is ever created on it.</summary>
    public const string SourceName = "Instrumentation.Agents.Extensions.AI.FunctionInvocation";

    private const string ExecuteToolPrefix = "execute_tool";

    private static readonly ActivityListener s_listener;

    static FunctionInvocationHook()
    {
        Source = new ActivitySource(SourceName);
        s_listener = new ActivityListener
        {
            // Also Microsoft's telemetry sources (by their default names): a function-invoking client whose inner client
            // is Microsoft's UseOpenTelemetry() starts execute_tool there, and under a current invoke_agent span of the
            // Agent Framework on that span's source. The runtime then starts our TOOL span beside that activity and the
            // exporter drops it (MirroredSpans). Never our own source: a listener there would make AgentTelemetry.IsEnabled
            // true for good.
            ShouldListenTo = static source => ReferenceEquals(source, Source)
                || source.Name is "Experimental.Microsoft.Agents.AI" or "Experimental.Microsoft.Extensions.AI",
            Sample = OnSample,
        };
        ActivitySource.AddActivityListener(s_listener);
    }

    /// <summary>
    /// Starts listening now, not when a function-invoking client first asks for <see cref="Source"/>: under an agent run
    /// the client may ask another library's telemetry client instead, and still start execute_tool on the agent source.
    /// </summary>
    public static void EnsureListening() => _ = s_listener;

    /// <summary>The source handed to function-invoking clients that ask for one.</summary>
    public static ActivitySource Source { get; }

    private static ActivitySamplingResult OnSample(ref ActivityCreationOptions<ActivityContext> options)
    {
        try
        {
            if (AgentTelemetry.IsEnabled
                && options.Name.StartsWith(ExecuteToolPrefix, StringComparison.Ordinal)
                && FunctionInvokingChatClient.CurrentContext is { Function: not TracingAIFunction } context)
            {
                context.Function = new TracingAIFunction(context.Function, context);
            }
        }
        catch (Exception exception)
        {
            AgentTelemetry.ReportInternalError("UseMlflowTracing: hooking a function call", exception);
        }

        return ActivitySamplingResult.None;
    }
}
