using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Instrumentation.Runtime;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Testing;

/// <summary>
/// Receives the instrumentation's spans the way an application does: an OpenTelemetry <see cref="TracerProvider"/>
/// listening to <see cref="AgentTelemetry.SourceName"/>, with the SDK's in-memory exporter keeping every recorded span
/// as it ends, in end order. Dispose it to stop listening. Test assemblies that use it run their tests one at a time,
/// since a tracer provider sees every span of its source in the process.
/// </summary>
/// <remarks>
/// What the exporter does not give, kept here: <see cref="Single"/>, which names the spans it did find when the one
/// asked for is missing, and <see cref="ActivityAssertions.Tag"/>. A test that needs the raw
/// <see cref="ActivityListener"/> contract (no SDK at all, or a listener that answers
/// <see cref="ActivitySamplingResult.None"/>, which no SDK sampler does for a root span) attaches its own listener.
/// </remarks>
public sealed class SpanCollector : IDisposable
{
    private readonly List<Activity> _exported = new();
    private readonly TracerProvider _provider;

    /// <param name="sampler">The tracer provider's sampler; <see cref="AlwaysOnSampler"/> when omitted.</param>
    public SpanCollector(Sampler? sampler = null)
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(AgentTelemetry.SourceName)
            .SetSampler(sampler ?? new AlwaysOnSampler())
            .AddInMemoryExporter(_exported)
            .Build();
    }

    /// <summary>The spans ended so far, in the order they ended. Read it once the traced work has finished: the
    /// exporter appends to a plain list.</summary>
    public IReadOnlyList<Activity> Spans => _exported.ToArray();

    /// <summary>The one ended span named <paramref name="name"/>; fails when there is none or more than one.</summary>
    public Activity Single(string name)
    {
        var matches = Spans.Where(s => s.DisplayName == name).ToList();
        if (matches.Count != 1)
        {
            throw new InvalidOperationException($"Expected one span named '{name}', found {matches.Count}. Spans: {string.Join(", ", Spans.Select(s => s.DisplayName))}");
        }

        return matches[0];
    }

    public void Dispose() => _provider.Dispose();
}

/// <summary>Reading span attributes in assertions.</summary>
public static class ActivityAssertions
{
    /// <summary>The attribute's value as a string, or <see langword="null"/> when absent.</summary>
    public static string? Tag(this Activity activity, string key) => activity.GetTagItem(key) switch
    {
        null => null,
        string text => text,
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };
}
