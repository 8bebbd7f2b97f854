using System.Text.Json;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// The one codec of MLflow's token usage shape, the value of <see cref="MlflowAttributes.ChatTokenUsage"/>
/// (<c>mlflow.chat.tokenUsage</c>): the JSON object text
/// <c>{"input_tokens":N,"output_tokens":N,"total_tokens":N,"cache_read_input_tokens":N,"cache_creation_input_tokens":N}</c>,
/// every count in tokens (the unit rule of <see cref="TokenUsage"/>), each member present only when known. Source: the
/// project's MLflow contract (<c>docs/mlflow-contract.md</c>, section 2), checked against a running server, which sums
/// the object over every span of a trace. The runtime writes it on LLM spans; the console trace tree reads it back.
/// </summary>
public static class MlflowTokenUsageJson
{
    private const string InputTokens = "input_tokens";
    private const string OutputTokens = "output_tokens";
    private const string TotalTokens = "total_tokens";
    private const string CacheReadInputTokens = "cache_read_input_tokens";
    private const string CacheCreationInputTokens = "cache_creation_input_tokens";

    /// <summary>
    /// Writes <paramref name="usage"/> in the shape above. <c>total_tokens</c> is
    /// <see cref="TokenUsage.EffectiveTotalTokens"/>; reasoning tokens have no member in MLflow's shape and are left out.
    /// </summary>
    /// <param name="usage">The counts, in tokens.</param>
    /// <returns>JSON object text; <c>{}</c> when no count is known.</returns>
    public static string Write(in TokenUsage usage)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            WriteCount(writer, InputTokens, usage.InputTokens);
            WriteCount(writer, OutputTokens, usage.OutputTokens);
            WriteCount(writer, TotalTokens, usage.EffectiveTotalTokens);
            WriteCount(writer, CacheReadInputTokens, usage.CacheReadInputTokens);
            WriteCount(writer, CacheCreationInputTokens, usage.CacheCreationInputTokens);
            writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>
    /// Reads the shape above back. Never throws: text that is not a JSON object, or an object with none of the five
    /// counts as an integer, gives <see langword="null"/>; a member that is missing or not an integer stays unknown.
    /// </summary>
    /// <param name="json">The attribute's value.</param>
    /// <returns>The counts, with <see cref="TokenUsage.TotalTokens"/> as recorded (not recomputed), or
    /// <see langword="null"/>.</returns>
    public static TokenUsage? Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var usage = new TokenUsage
            {
                InputTokens = ReadCount(root, InputTokens),
                OutputTokens = ReadCount(root, OutputTokens),
                TotalTokens = ReadCount(root, TotalTokens),
                CacheReadInputTokens = ReadCount(root, CacheReadInputTokens),
                CacheCreationInputTokens = ReadCount(root, CacheCreationInputTokens),
            };
            return usage.HasAny ? usage : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
    }

    private static long? ReadCount(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var value)
            ? value
            : null;
}
