using System;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace Instrumentation.Generator.Tests.Infrastructure;

/// <summary>Calls into an assembly compiled by a test, rethrowing the callee's exception unwrapped.</summary>
internal static class Reflect
{
    public static object? Call(object target, string method, params object?[] arguments) =>
        Invoke(target.GetType(), target, method, arguments);

    public static object? CallStatic(Type type, string method, params object?[] arguments) =>
        Invoke(type, null, method, arguments);

    public static async Task<object?> AwaitResult(object? task)
    {
        switch (task)
        {
            case Task plain:
                await plain;
                return plain.GetType().GetProperty("Result")?.GetValue(plain);
            case null:
                throw new ArgumentNullException(nameof(task));
            default:
                // A ValueTask or ValueTask<T>: convert through AsTask().
                var asTask = (Task)task.GetType().GetMethod("AsTask")!.Invoke(task, null)!;
                return await AwaitResult(asTask);
        }
    }

    private static object? Invoke(Type type, object? target, string method, object?[] arguments)
    {
        var info = type.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            ?? throw new MissingMethodException(type.FullName, method);
        try
        {
            return info.Invoke(target, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
