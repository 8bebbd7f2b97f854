using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Instrumentation.Runtime;

namespace Instrumentation.Testing;

/// <summary>
/// Listens to the instrumentation's <see cref="ActivitySource"/> and keeps every span that ends, in end order, for a
/// test to assert on. Dispose it to stop listening. Test assemblies that use it run their tests one at a time, since
/// an <see cref="ActivityListener"/> sees every span in the process.
/// </summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCollector(ActivitySamplingResult sampling = ActivitySamplingResult.AllDataAndRecorded)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
            ActivityStopped = activity => _stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans ended so far, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => _stopped.ToArray();

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

    public void Dispose() => _listener.Dispose();
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
