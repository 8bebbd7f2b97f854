using System;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.FunctionCalls;

/// <summary>
/// The hook for a <see cref="FunctionInvokingChatClient"/> inside the tracing client (placed before
/// <c>UseFunctionInvocation()</c>): its public <see cref="FunctionInvokingChatClient.FunctionInvoker"/> is wrapped, so
/// every function it invokes runs inside a TOOL span. A delegate already set (by <c>UseFunctionInvocation</c>'s
/// <c>configure</c> callback, which runs before) is kept and called inside the span.
/// </summary>
internal static class FunctionInvokerWrapper
{
    public static void Install(FunctionInvokingChatClient client)
    {
        var previous = client.FunctionInvoker;
        client.FunctionInvoker = (context, cancellationToken) =>
            !AgentTelemetry.IsEnabled || ToolInvocation.IsTraced(context)
                ? Invoke(context, previous, cancellationToken)
                : ToolInvocation.InvokeAsync(context, previous, Invoke, cancellationToken);
    }

    /// <summary>What the function-invoking client would have done without the wrapper.</summary>
    private static ValueTask<object?> Invoke(FunctionInvocationContext context,
        Func<FunctionInvocationContext, CancellationToken, ValueTask<object?>>? previous, CancellationToken cancellationToken) =>
        previous is null ? context.Function.InvokeAsync(context.Arguments, cancellationToken) : previous(context, cancellationToken);
}
