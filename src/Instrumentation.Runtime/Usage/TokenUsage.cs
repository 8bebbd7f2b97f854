namespace Instrumentation.Runtime.Usage;

/// <summary>
/// The tokens one model call used, in the project's single token unit rule: <see cref="InputTokens"/> counts every
/// prompt token, cached ones included (as OpenAI's <c>prompt_tokens</c> and the GenAI <c>gen_ai.usage.input_tokens</c>
/// do), and <see cref="CacheReadInputTokens"/> and <see cref="CacheCreationInputTokens"/> are the parts of it served
/// from or written to the provider's prompt cache. All counts are in tokens; <see langword="null"/> means unknown.
/// </summary>
public readonly record struct TokenUsage
{
    /// <summary>Every prompt token, cached ones included.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Completion tokens, reasoning tokens included.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Input plus output, as reported; when not reported, <see cref="EffectiveTotalTokens"/> adds them.</summary>
    public long? TotalTokens { get; init; }

    /// <summary>Prompt tokens served from the cache (OpenAI <c>cached_tokens</c>, Anthropic <c>cache_read_input_tokens</c>).</summary>
    public long? CacheReadInputTokens { get; init; }

    /// <summary>Prompt tokens written to the cache (Anthropic <c>cache_creation_input_tokens</c>).</summary>
    public long? CacheCreationInputTokens { get; init; }

    /// <summary>Output tokens spent on reasoning (OpenAI <c>reasoning_tokens</c>).</summary>
    public long? ReasoningOutputTokens { get; init; }

    /// <summary><see cref="TotalTokens"/> when reported, otherwise input plus output when both are known.</summary>
    public long? EffectiveTotalTokens => TotalTokens ?? (InputTokens is { } input && OutputTokens is { } output ? input + output : null);

    /// <summary>Whether any count is known.</summary>
    public bool HasAny => InputTokens.HasValue || OutputTokens.HasValue || TotalTokens.HasValue
        || CacheReadInputTokens.HasValue || CacheCreationInputTokens.HasValue || ReasoningOutputTokens.HasValue;

    /// <summary>
    /// Converts usage from a source that reports input <em>without</em> the cached part (Anthropic's <c>input_tokens</c>,
    /// OpenClaw's <c>usage.input</c>): <see cref="InputTokens"/> = uncached + cache read + cache write.
    /// </summary>
    /// <param name="uncachedInputTokens">Prompt tokens neither read from nor written to the cache.</param>
    /// <param name="outputTokens">Completion tokens.</param>
    /// <param name="cacheReadInputTokens">Prompt tokens read from the cache.</param>
    /// <param name="cacheCreationInputTokens">Prompt tokens written to the cache.</param>
    /// <param name="reasoningOutputTokens">Output tokens spent on reasoning.</param>
    public static TokenUsage FromUncachedInput(long? uncachedInputTokens, long? outputTokens, long? cacheReadInputTokens = null,
        long? cacheCreationInputTokens = null, long? reasoningOutputTokens = null)
    {
        long? input = uncachedInputTokens is null && cacheReadInputTokens is null && cacheCreationInputTokens is null
            ? null
            : (uncachedInputTokens ?? 0) + (cacheReadInputTokens ?? 0) + (cacheCreationInputTokens ?? 0);
        return new TokenUsage
        {
            InputTokens = input,
            OutputTokens = outputTokens,
            CacheReadInputTokens = cacheReadInputTokens,
            CacheCreationInputTokens = cacheCreationInputTokens,
            ReasoningOutputTokens = reasoningOutputTokens,
        };
    }
}
