using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

internal static class SpanAssertions
{
    public static string? Type(this Activity span) => span.GetTagItem("mlflow.spanType") as string;

    public static long? Long(this Activity span, string key) => span.GetTagItem(key) switch
    {
        null => null,
        long value => value,
        int value => value,
        IConvertible convertible => convertible.ToInt64(CultureInfo.InvariantCulture),
        _ => null,
    };

    public static DateTime EndUtc(this Activity span) => span.StartTimeUtc + span.Duration;

    public static DateTime Ms(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;

    /// <summary>(input, output, cache read) from the GenAI usage attributes.</summary>
    public static (long Input, long Output, long CacheRead) Usage(this Activity span) =>
        (span.Long("gen_ai.usage.input_tokens") ?? 0, span.Long("gen_ai.usage.output_tokens") ?? 0,
         span.Long("gen_ai.usage.cache_read.input_tokens") ?? 0);

    public static bool IsIncomplete(this Activity span) => span.GetTagItem("instrumentation.incomplete") is true;

    public static string Describe(this Activity span) =>
        $"{span.Type()} {span.DisplayName} [{span.Status}] tags: " + string.Join(", ", span.TagObjects.Select(t => t.Key + "=" + span.Tag(t.Key)));
}
