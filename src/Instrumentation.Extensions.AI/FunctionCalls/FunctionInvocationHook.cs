using System;
using System.Diagnostics;
using System.Threading;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.FunctionCalls;

/// <summary>
/// The hook for a <see cref="FunctionInvokingChatClient"/> outside the tracing client (the usual placement, after
/// <c>UseFunctionInvocation()</c>), which the tracing client cannot reach. That client asks its inner client for an
/// <see cref="ActivitySource"/> when it is built (how Microsoft.Extensions.AI finds the telemetry of a pipeline) and,
/// for each function call, starts an <c>execute_tool {name}</c> activity on it just before calling the function, with
/// <see cref="FunctionInvokingChatClient.CurrentContext"/> already set. The tracing client answers with
/// <see cref="Source"/>, whose only listener is this class (while anything listens to the runtime's sources, see
/// <see cref="Sync"/>): asked whether to sample the activity, it puts a
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

    private static readonly object s_gate = new();
    private static ActivityListener? s_listener;

    /// <summary>
    /// Listens while the runtime's sources have a listener, and only then: with nothing listening, the function-invoking
    /// client's <c>StartActivity</c> on <see cref="Source"/> returns at once, without asking this class to sample.
    /// Called by the tracing client when it is built and before each model call, which a function call always follows;
    /// and that is also before the client could start execute_tool on another library's source (under an agent run the
    /// function-invoking client may have asked another telemetry client for its source).
    /// </summary>
    public static void Sync()
    {
        if (AgentTelemetry.IsEnabled == (Volatile.Read(ref s_listener) is not null))
        {
            return;
        }

        lock (s_gate)
        {
            if (AgentTelemetry.IsEnabled && s_listener is null)
            {
                var listener = new ActivityListener
                {
                    // Also Microsoft's telemetry sources (by their default names): a function-invoking client whose inner
                    // client is Microsoft's UseOpenTelemetry() starts execute_tool there, and under a current invoke_agent
                    // span of the Agent Framework on that span's source. The runtime then starts our TOOL span beside that
                    // activity and the exporter drops it (MirroredSpans). Never our own source: a listener there would make
                    // AgentTelemetry.IsEnabled true for good.
                    ShouldListenTo = static source => ReferenceEquals(source, Source)
                        || source.Name is "Experimental.Microsoft.Agents.AI" or "Experimental.Microsoft.Extensions.AI",
                    Sample = OnSample,
                };
                ActivitySource.AddActivityListener(listener);
                Volatile.Write(ref s_listener, listener);
            }
            else if (!AgentTelemetry.IsEnabled && s_listener is { } listener)
            {
                Volatile.Write(ref s_listener, null);
                listener.Dispose();
            }
        }
    }

    /// <summary>The source handed to function-invoking clients that ask for one.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

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
