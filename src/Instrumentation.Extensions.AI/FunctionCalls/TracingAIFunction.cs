using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI.FunctionCalls;

/// <summary>
/// A function that runs its inner function inside the TOOL span of one invocation; <see cref="FunctionInvocationHook"/>
/// puts it in <see cref="FunctionInvocationContext.Function"/> just before the function-invoking client calls it.
/// Everything else (name, description, schema, <see cref="AITool.GetService"/>) is the inner function's.
/// </summary>
internal sealed class TracingAIFunction : DelegatingAIFunction
{
    private readonly FunctionInvocationContext _context;

    public TracingAIFunction(AIFunction innerFunction, FunctionInvocationContext context)
        : base(innerFunction)
    {
        _context = context;
    }

    protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
        !AgentTelemetry.IsEnabled || ToolInvocation.IsTraced(_context)
            ? InnerFunction.InvokeAsync(arguments, cancellationToken)
            : ToolInvocation.InvokeAsync(_context, (InnerFunction, arguments), Invoke, cancellationToken);

    private static ValueTask<object?> Invoke(FunctionInvocationContext context, (AIFunction Function, AIFunctionArguments Arguments) state,
        CancellationToken cancellationToken) =>
        state.Function.InvokeAsync(state.Arguments, cancellationToken);
}
