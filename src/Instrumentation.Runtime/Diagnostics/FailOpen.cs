using System;
using System.Threading;

namespace Instrumentation.Runtime.Diagnostics;

/// <summary>
/// The one place that swallows an exception thrown by the instrumentation: it is counted and reported through
/// <see cref="InstrumentationEventSource"/>, and the traced method carries on as if nothing happened.
/// </summary>
internal static class FailOpen
{
    private static long s_errorCount;

    public static long ErrorCount => Interlocked.Read(ref s_errorCount);

    public static void Report(string operation, Exception exception)
    {
        Interlocked.Increment(ref s_errorCount);
        try
        {
            InstrumentationEventSource.Log.InternalError(operation, exception);
        }
        catch
        {
            // Even reporting must not throw into the traced method.
        }
    }
}
