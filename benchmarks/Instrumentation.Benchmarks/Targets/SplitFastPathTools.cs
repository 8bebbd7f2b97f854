using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Instrumentation.Runtime;

namespace Instrumentation.Benchmarks.Targets;

/// <summary>
/// Not generated: a hand-written reference for the no-listener goal. The listener check and the call of the body stay
/// in a method marked <c>AggressiveInlining</c>; the span work is in a separate method that is never inlined. With
/// nothing listening the caller pays only for reading the listener count. The generated wrapper has had the same split
/// since commit f15a147 (without the attributes, leaving inlining to the JIT's heuristics); this row shows what forcing
/// it would add. The traced half simply calls the generated wrapper (never reached without a listener).
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
