using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// The codecs of <c>mlflow.chat.tokenUsage</c> and <c>mlflow.llm.cost</c>: the exact text MLflow is sent (its keys, in
/// the documented order, only known counts), that what is written reads back, and that text the codec did not write
/// reads as unknown rather than throwing.
/// </summary>
public sealed class MlflowUsageCodecTests
{
    [Fact]
    public void Token_usage_is_written_with_MLflow_keys_and_the_effective_total()
    {
        var usage = new TokenUsage { InputTokens = 1200, OutputTokens = 30, CacheReadInputTokens = 800, CacheCreationInputTokens = 100, ReasoningOutputTokens = 7 };

        Assert.Equal(
            """{"input_tokens":1200,"output_tokens":30,"total_tokens":1230,"cache_read_input_tokens":800,"cache_creation_input_tokens":100}""",
            MlflowTokenUsageJson.Write(usage));
    }

    [Fact]
    public void Token_usage_reads_back_what_was_written_and_keeps_unknown_counts_unknown()
    {
        var read = MlflowTokenUsageJson.Read(MlflowTokenUsageJson.Write(new TokenUsage { InputTokens = 12, CacheReadInputTokens = 5 }));

        Assert.Equal(new TokenUsage { InputTokens = 12, CacheReadInputTokens = 5 }, read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"input_tokens":"12","reasoning":3}""")]
    [InlineData("""{"input_tokens":1.5}""")]
    public void Token_usage_text_without_an_integer_count_reads_as_unknown(string? json) =>
        Assert.Null(MlflowTokenUsageJson.Read(json));

    [Fact]
    public void Cost_is_written_as_exact_decimals_and_its_total_reads_back()
    {
        var json = MlflowCostJson.Write(new LlmCost(0.0012m, 0.003m, 0.0042m));

        Assert.Equal("""{"input_cost":0.0012,"output_cost":0.003,"total_cost":0.0042}""", json);
        Assert.Equal(0.0042, MlflowCostJson.ReadTotalUsd(json));
    }

    [Theory]
    [InlineData("""{"input_cost":0.25,"output_cost":0.5}""", 0.75)]
    [InlineData("""{"output_cost":0.5}""", 0.5)]
    [InlineData("""{"total_cost":"1","input_cost":0.25}""", 0.25)]
    public void Without_a_numeric_total_the_cost_is_input_plus_output(string json, double expected) =>
        Assert.Equal(expected, MlflowCostJson.ReadTotalUsd(json));

    [Theory]
    [InlineData(null)]
    [InlineData("{")]
    [InlineData("3")]
    [InlineData("""{"currency":"USD"}""")]
    public void Cost_text_without_a_usable_amount_reads_as_unknown(string? json) =>
        Assert.Null(MlflowCostJson.ReadTotalUsd(json));
}
