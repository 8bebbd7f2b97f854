#nullable enable

namespace Instrumentation.Generated
{
    /// <summary>
    /// Runs one step of an SDK adapter fail-open, for every adapter of this assembly: a surprise in the SDK's objects
    /// (a property that throws, a shape this version of the adapter does not know) is reported to the instrumentation's
    /// internal-error counter and never reaches the traced call.
    /// </summary>
    [global::System.CodeDom.Compiler.GeneratedCode("Instrumentation.Generator", "%VERSION%")]
    [global::Microsoft.CodeAnalysis.Embedded]
    internal static class AdapterFailOpen
    {
        /// <summary>Runs <paramref name="step"/> on <paramref name="state"/>; reports what it throws as an internal error of <paramref name="where"/>.</summary>
        /// <remarks>The state is a value tuple and the step a static lambda, so a call allocates nothing.</remarks>
        public static void Run<TState>(TState state, global::System.Action<TState> step, string where)
        {
            try
            {
                step(state);
            }
            catch (global::System.Exception exception)
            {
                global::Instrumentation.Runtime.AgentTelemetry.ReportInternalError(where, exception);
            }
        }
    }
}
