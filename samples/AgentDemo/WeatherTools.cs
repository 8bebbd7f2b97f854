using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Threading.Tasks;
using Instrumentation;

namespace AgentDemo;

/// <summary>A forecast as the weather service returns it.</summary>
public sealed record Forecast(string City, string Condition, double TemperatureC);

/// <summary>Thrown for a city the weather service does not know: the demo's failing tool call.</summary>
public sealed class CityNotFoundException(string city) : Exception($"City not found: {city}");

/// <summary>
/// The agent's tools. Each is traced as a TOOL span from inside the method, so the span appears however the tool is
/// called: here, by <c>AIFunctionFactory</c>'s reflection-based dispatch.
/// </summary>
public sealed partial class WeatherTools
{
    private static readonly Dictionary<string, Forecast> s_forecasts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Paris"] = new("Paris", "sunny", 18),
        ["London"] = new("London", "light rain", 12),
        ["Lisbon"] = new("Lisbon", "clear", 24),
        ["Tokyo"] = new("Tokyo", "cloudy", 21),
    };

    [Tool(Name = "get_forecast", Description = "Gets today's forecast for a city.")]
    [Description("Gets today's forecast for a city.")]
    public partial Task<Forecast> GetForecastAsync([Description("The city name, e.g. Paris")] string city);

    private async Task<Forecast> GetForecastAsyncCore(string city)
    {
        await Task.Delay(15); // a network call in a real agent
        return s_forecasts.TryGetValue(city.Trim(), out var forecast) ? forecast : throw new CityNotFoundException(city);
    }

    [Tool(Name = "convert_temperature", Description = "Converts a Celsius temperature to Fahrenheit or Kelvin.")]
    [Description("Converts a Celsius temperature to Fahrenheit or Kelvin.")]
    public partial double ConvertTemperature(double celsius, [Description("F or K")] string toUnit);

    private double ConvertTemperatureCore(double celsius, string toUnit) => toUnit.Trim().ToUpperInvariant() switch
    {
        "F" => Math.Round(celsius * 9 / 5 + 32, 1),
        "K" => Math.Round(celsius + 273.15, 2),
        _ => throw new ArgumentException($"Unknown unit '{toUnit}': use F or K.", nameof(toUnit)),
    };
}
