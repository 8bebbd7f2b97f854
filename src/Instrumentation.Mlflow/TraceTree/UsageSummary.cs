using System.Collections.Generic;
using System.Globalization;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Mlflow;

/// <summary>
/// The tokens and cost of one span, or their sum over a trace as MLflow sums them: read from
/// <c>mlflow.chat.tokenUsage</c> and <c>mlflow.llm.cost</c> with the runtime's codecs (<see cref="MlflowTokenUsageJson"/>,
/// <see cref="MlflowCostJson"/>), shown as <c>tokens 1200 in (800 cached, 100 cache write) / 30 out</c> and <c>$0.0042</c>.
/// </summary>
internal struct UsageSummary
{
    private long? _input;
    private long? _output;
    private long? _total;
    private long? _cacheRead;
    private long? _cacheWrite;
    private double? _costUsd;

    /// <summary>The tokens and cost recorded on <paramref name="span"/>.</summary>
    public static UsageSummary Of(TraceTreeSpan span)
    {
        var summary = default(UsageSummary);
        summary.Add(span);
        return summary;
    }

    /// <summary>The tokens and cost summed over every span.</summary>
    public static UsageSummary Sum(IEnumerable<TraceTreeSpan> spans)
    {
        var summary = default(UsageSummary);
        foreach (var span in spans)
        {
            summary.Add(span);
        }

        return summary;
    }

    /// <summary><c>tokens 1200 in (800 cached, 100 cache write) / 30 out</c>; <c>tokens N total</c> when only the total
    /// is known; empty when nothing is.</summary>
    public readonly string TokensText()
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>(2);
        if (_input is { } input)
        {
            var text = input.ToString(inv) + " in";
            var cache = new List<string>(2);
            if (_cacheRead is { } read)
            {
                cache.Add(read.ToString(inv) + " cached");
            }

            if (_cacheWrite is { } write)
            {
                cache.Add(write.ToString(inv) + " cache write");
            }

            if (cache.Count > 0)
            {
                text += " (" + string.Join(", ", cache) + ")";
            }

            parts.Add(text);
        }

        if (_output is { } output)
        {
            parts.Add(output.ToString(inv) + " out");
        }

        if (parts.Count == 0 && _total is { } total)
        {
            parts.Add(total.ToString(inv) + " total");
        }

        return parts.Count == 0 ? string.Empty : "tokens " + string.Join(" / ", parts);
    }

    /// <summary>The cost in USD, <c>$0.0042</c> (up to six decimals), or <see langword="null"/> when no span has one.</summary>
    public readonly string? CostText() =>
        _costUsd is { } cost ? "$" + cost.ToString("0.######", CultureInfo.InvariantCulture) : null;

    private void Add(TraceTreeSpan span)
    {
        if (span.GetAttribute(MlflowAttributes.ChatTokenUsage) is string usageJson && MlflowTokenUsageJson.Read(usageJson) is { } usage)
        {
            Add(usage);
        }

        if (span.GetAttribute(MlflowAttributes.LlmCost) is string costJson && MlflowCostJson.ReadTotalUsd(costJson) is { } cost)
        {
            _costUsd = (_costUsd ?? 0) + cost;
        }
    }

    private void Add(in TokenUsage usage)
    {
        _input = Sum(_input, usage.InputTokens);
        _output = Sum(_output, usage.OutputTokens);
        _total = Sum(_total, usage.TotalTokens);
        _cacheRead = Sum(_cacheRead, usage.CacheReadInputTokens);
        _cacheWrite = Sum(_cacheWrite, usage.CacheCreationInputTokens);
    }

    private static long? Sum(long? a, long? b) => a is null ? b : b is null ? a : a + b;
}
