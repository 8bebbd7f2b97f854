using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Instrumentation.Runtime;

namespace Instrumentation.Benchmarks.Targets;

/// <summary>
/// Not generated: the wrapper shape proposed in docs/benchmarks.md for the no-listener goal, measured beside the
/// generated one. The listener check and the call of the body stay in a method small enough to be inlined into the
/// caller; everything else (the span) moves to a separate method that is never inlined. With nothing listening, the
/// caller then pays only for reading the listener count, not for an extra call frame. The traced half here simply calls
/// the generated wrapper, which does the tracing (it is never reached without a listener).
/// </summary>
public sealed class SplitFastPathTools
{
    private readonly ForecastTools _tools = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public string GetForecast(string city, int days) =>
        AgentTelemetry.IsEnabled ? GetForecastTraced(city, days) : _tools.GetForecastCore(city, days);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Task<string> GetForecastAsync(string city, int days) =>
        AgentTelemetry.IsEnabled ? GetForecastAsyncTraced(city, days) : _tools.GetForecastAsyncCore(city, days);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ValueTask<string> GetForecastValueAsync(string city, int days) =>
        AgentTelemetry.IsEnabled ? GetForecastValueAsyncTraced(city, days) : _tools.GetForecastValueAsyncCore(city, days);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private string GetForecastTraced(string city, int days) => _tools.GetForecast(city, days);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task<string> GetForecastAsyncTraced(string city, int days) => _tools.GetForecastAsync(city, days);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ValueTask<string> GetForecastValueAsyncTraced(string city, int days) => _tools.GetForecastValueAsync(city, days);
}
