using Instrumentation.OpenClaw.Input;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.OpenClaw.Emission;

/// <summary>OpenClaw's normalised usage to the project's token unit rule (docs/mlflow-contract.md §2).</summary>
internal static class UsageConversion
{
    /// <summary>
    /// OpenClaw's <c>usage.input</c> excludes cached tokens (§0.9: <c>input = prompt_tokens − cached − cache_write</c>), so
    /// the prompt total is <c>input + cacheRead + cacheWrite</c>; output and reasoning are taken as they are. The total is
    /// left to the runtime (input + output), which equals OpenClaw's <c>totalTokens</c>.
    /// </summary>
    public static TokenUsage FromOpenClaw(OpenClawUsage usage) =>
        TokenUsage.FromUncachedInput(usage.Input, usage.Output, usage.CacheRead, usage.CacheWrite, usage.ReasoningTokens);

    /// <summary>The call's cost as OpenClaw computed it: input cost = input + cache read + cache write costs.</summary>
    /// <summary>No token of any kind: what OpenClaw writes on a failed call when the provider reported no usage.</summary>
    public static bool IsEmpty(OpenClawUsage usage) =>
        (usage.Input ?? 0) == 0 && (usage.Output ?? 0) == 0 && (usage.CacheRead ?? 0) == 0 && (usage.CacheWrite ?? 0) == 0 &&
        (usage.ReasoningTokens ?? 0) == 0 && (usage.Total ?? 0) == 0;

    public static LlmCost? CostOf(OpenClawUsage usage)
    {
        if (usage.CostTotal is null && usage.CostInput is null && usage.CostOutput is null)
        {
            return null;
        }

        var input = (usage.CostInput ?? 0) + (usage.CostCacheRead ?? 0) + (usage.CostCacheWrite ?? 0);
        var output = usage.CostOutput ?? 0;
        return new LlmCost(input, output, usage.CostTotal ?? input + output);
    }
}
