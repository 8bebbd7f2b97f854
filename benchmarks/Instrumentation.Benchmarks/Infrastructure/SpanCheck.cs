using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using OpenTelemetry.Trace;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Proves, before anything is measured, that the generated wrapper and the hand-written baseline record the same span:
/// same name, kind, status and attributes, value for value. A comparison of unequal work would be meaningless.
/// </summary>
public static class SpanCheck
{
    public static void AssertSameSpan(string what, Action generated, Action handWritten)
    {
        var first = Capture(generated);
        var second = Capture(handWritten);
        var problems = new List<string>();
        if (first.DisplayName != second.DisplayName)
        {
            problems.Add($"name: {first.DisplayName} vs {second.DisplayName}");
        }

        if (first.Kind != second.Kind)
        {
            problems.Add($"kind: {first.Kind} vs {second.Kind}");
        }

        if (first.Status != second.Status)
        {
            problems.Add($"status: {first.Status} vs {second.Status}");
        }

        var a = Tags(first);
        var b = Tags(second);
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            var left = a.TryGetValue(key, out var x) ? x : "<absent>";
            var right = b.TryGetValue(key, out var y) ? y : "<absent>";
            if (left != right)
            {
                problems.Add($"{key}: generated {left} vs hand-written {right}");
            }
        }

        Console.WriteLine($"// SpanCheck {what}: {a.Count} attributes, status {first.Status}, kind {first.Kind}"
            + (problems.Count == 0 ? ", same on both sides" : ", DIFFERENT"));
        foreach (var (key, value) in a.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"//   {key} = {value}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{what}: the two sides record different spans:\n" + string.Join("\n", problems));
        }
    }

    private static Activity Capture(Action action)
    {
        var exporter = new CapturingExporter();
        using (Tracing.Start(exporter))
        {
            action();
        }

        return exporter.Spans.Count == 1
            ? exporter.Spans[0]
            : throw new InvalidOperationException($"Expected one span, got {exporter.Spans.Count}.");
    }

    private static Dictionary<string, string> Tags(Activity activity) =>
        activity.TagObjects.ToDictionary(t => t.Key, t => Format(t.Value), StringComparer.Ordinal);

    private static string Format(object? value) => value switch
    {
        null => "null",
        string text => text,
        IEnumerable items => "[" + string.Join(",", items.Cast<object?>().Select(Format)) + "]",
        _ => value.GetType().Name + ":" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}
