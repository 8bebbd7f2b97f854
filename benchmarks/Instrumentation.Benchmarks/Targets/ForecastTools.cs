using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Instrumentation;

namespace Instrumentation.Benchmarks.Targets;

/// <summary>
/// The traced side: three <c>[Tool]</c> methods of the three result shapes the goals name (<c>T</c>, <c>Task&lt;T&gt;</c>,
/// <c>ValueTask&lt;T&gt;</c>). The generator writes their bodies; the <c>...Core</c> methods are what the user wrote.
/// </summary>
/// <remarks>
/// The bodies are not inlined, so "calling the body directly" and "calling the wrapper" both pay for one real call of
/// the body and the difference is the wrapper alone. They return a cached result so neither side allocates: any byte in
/// the Allocated column is the instrumentation's.
/// </remarks>
public partial class ForecastTools
{
    internal const string Forecast = "sunny, 18 C";

    private static readonly Task<string> s_forecastTask = Task.FromResult(Forecast);

    [Tool(Name = "get_forecast")]
    public partial string GetForecast(string city, int days);

    [Tool(Name = "get_forecast")]
    public partial Task<string> GetForecastAsync(string city, int days);

    [Tool(Name = "get_forecast")]
    public partial ValueTask<string> GetForecastValueAsync(string city, int days);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public string GetForecastCore(string city, int days) => Forecast;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public Task<string> GetForecastAsyncCore(string city, int days) => s_forecastTask;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public ValueTask<string> GetForecastValueAsyncCore(string city, int days) => new(Forecast);
}
