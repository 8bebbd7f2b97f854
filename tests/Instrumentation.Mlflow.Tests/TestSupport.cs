using System;
using System.Collections.Generic;
using Instrumentation.Mlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>An environment for one test: MLflow's variables come from here, never from the process.</summary>
internal sealed class FakeEnvironment
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public FakeEnvironment(params (string Name, string? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            _values[name] = value;
        }
    }

    /// <summary>Every variable name the code under test asked for.</summary>
    public List<string> Reads { get; } = new();

    public string? Get(string name)
    {
        Reads.Add(name);
        return _values.TryGetValue(name, out var value) ? value : null;
    }
}

internal static class Providers
{
    /// <summary>A provider with the MLflow exporter, reading <paramref name="environment"/> instead of the process's.</summary>
    public static TracerProviderBuilder WithMlflow(FakeEnvironment environment, Action<MlflowExporterOptions>? configure = null) =>
        MlflowTracerProviderBuilderExtensions.AddMlflowExporter(Sdk.CreateTracerProviderBuilder(), configure, environment.Get);
}
