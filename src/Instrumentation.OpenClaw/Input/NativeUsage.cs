using System;
using System.Text.Json;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Converts provider-native usage, as a <c>provider_call</c> record carries it, to the project's token unit rule
/// (<c>InputTokens</c> = every prompt token, cached ones included; docs/mlflow-contract.md §2):
/// <list type="bullet">
/// <item>OpenAI chat completions: <c>prompt_tokens</c> already includes
/// <c>prompt_tokens_details.cached_tokens</c>.</item>
/// <item>OpenAI Responses: <c>input_tokens</c> includes <c>input_tokens_details.cached_tokens</c>.</item>
/// <item>Anthropic: <c>input_tokens</c> excludes <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c>,
/// so they are added (<see cref="TokenUsage.FromUncachedInput"/>).</item>
/// </list>
/// </summary>
internal static class NativeUsage
{
    public static TokenUsage? Parse(JsonElement usage, string? format, string? api, string? provider)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var kind = Classify(usage, format, api, provider);
        switch (kind)
        {
            case "openai":
            {
                var promptDetails = usage.Object("prompt_tokens_details");
                var cacheWrite = promptDetails.Int64("cache_write_tokens") ?? promptDetails.Int64("cache_creation_input_tokens")
                    ?? usage.Int64("cache_creation_input_tokens");
                return new TokenUsage
                {
                    InputTokens = usage.Int64("prompt_tokens"),
                    OutputTokens = usage.Int64("completion_tokens"),
                    TotalTokens = usage.Int64("total_tokens"),
                    CacheReadInputTokens = promptDetails.Int64("cached_tokens") ?? usage.Int64("prompt_cache_hit_tokens"),
                    CacheCreationInputTokens = cacheWrite,
                    ReasoningOutputTokens = usage.Object("completion_tokens_details").Int64("reasoning_tokens"),
                };
            }

            case "openai-responses":
                return new TokenUsage
                {
                    InputTokens = usage.Int64("input_tokens"),
                    OutputTokens = usage.Int64("output_tokens"),
                    TotalTokens = usage.Int64("total_tokens"),
                    CacheReadInputTokens = usage.Object("input_tokens_details").Int64("cached_tokens"),
                    ReasoningOutputTokens = usage.Object("output_tokens_details").Int64("reasoning_tokens"),
                };
            default:
                return TokenUsage.FromUncachedInput(
                    usage.Int64("input_tokens"),
                    usage.Int64("output_tokens"),
                    usage.Int64("cache_read_input_tokens"),
                    usage.Int64("cache_creation_input_tokens"));
        }
    }

    private static string Classify(JsonElement usage, string? format, string? api, string? provider)
    {
        if (format is "openai" or "openai-responses" or "anthropic")
        {
            return format;
        }

        if (usage.TryGetProperty("prompt_tokens", out _) || usage.TryGetProperty("completion_tokens", out _))
        {
            return "openai";
        }

        if (usage.TryGetProperty("input_tokens_details", out _) || usage.TryGetProperty("output_tokens_details", out _))
        {
            return "openai-responses";
        }

        if (usage.TryGetProperty("cache_read_input_tokens", out _) || usage.TryGetProperty("cache_creation_input_tokens", out _)
            || (api?.StartsWith("anthropic", StringComparison.OrdinalIgnoreCase) ?? false)
            || string.Equals(provider, "anthropic", StringComparison.OrdinalIgnoreCase))
        {
            return "anthropic";
        }

        // input_tokens/output_tokens with no other hint: the OpenAI Responses meaning (cached tokens included), so the
        // total is never overstated. The record's usageFormat removes the guess.
        return "openai-responses";
    }
}
