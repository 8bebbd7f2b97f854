using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Spans;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.FunctionCalls;

/// <summary>
/// The TOOL span of one function call a <see cref="FunctionInvokingChatClient"/> makes, whichever hook saw it
/// (<see cref="FunctionInvokerWrapper"/> or <see cref="FunctionInvocationHook"/>): the function's name and description,
/// the model's call id, the arguments as the model sent them, the result as the function returned it, and a function
/// that throws as an error with its exception. The exception still reaches the function-invoking client, which decides
/// what the model is told.
/// </summary>
internal static class ToolInvocation
{
    private const string ContextProperty = "Instrumentation.Extensions.AI.FunctionInvocationContext";

    /// <summary>Whether the current span is already the span of this invocation: both hooks saw it (a pipeline traced on
    /// both sides of its function-invoking client), and the second yields.</summary>
    public static bool IsTraced(FunctionInvocationContext context) =>
        Activity.Current is { } current && ReferenceEquals(current.GetCustomProperty(ContextProperty), context);

    public static async ValueTask<object?> InvokeAsync<TState>(FunctionInvocationContext context, TState state,
        Func<FunctionInvocationContext, TState, CancellationToken, ValueTask<object?>> invoke, CancellationToken cancellationToken)
    {
        var function = context.Function;
        var span = ToolSpan.StartInvocation(function.Name, string.IsNullOrEmpty(function.Description) ? null : function.Description,
            context.CallContent.CallId);
        if (span.Activity is { } activity)
        {
            activity.SetCustomProperty(ContextProperty, context);
            if (span.CapturesContent)
            {
                span.SetInputsJson(context.CallContent.Arguments is { } arguments ? ChatRequests.ArgumentsJson(arguments) : "{}");
            }
        }

        try
        {
            var result = await invoke(context, state, cancellationToken).ConfigureAwait(false);
            span.SetOutput(result);
            return result;
        }
        catch (Exception exception)
        {
            span.SetError(exception);
            throw;
        }
        finally
        {
            span.End();
        }
    }
}
