using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Instrumentation.Runtime.Redaction;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// The shared corpus (tests/data/redaction-corpus.json), which the OpenClaw plugin's Node tests run too: the same inputs
/// give the same redacted values on both sides, from the same rules file.
/// </summary>
public sealed class RedactionCorpusTests
{
    private static readonly string s_rules = Path.Combine(RepositoryPaths.Root, "src", "Instrumentation.Runtime", "Redaction", "redaction-rules.json");

    public static IEnumerable<TheoryDataRow<string>> Cases()
    {
        using var corpus = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "data", "redaction-corpus.json")));
        foreach (var item in corpus.RootElement.GetProperty("cases").EnumerateArray())
        {
            yield return new TheoryDataRow<string>(item.GetProperty("name").GetString()!);
        }
    }

    private static (string Input, string Expected) Case(string name)
    {
        using var corpus = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "data", "redaction-corpus.json")));
        foreach (var item in corpus.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (item.GetProperty("name").GetString() == name)
            {
                return (item.GetProperty("input").GetRawText(), item.GetProperty("expected").GetRawText());
            }
        }

        throw new KeyNotFoundException(name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_corpus_case_is_redacted_as_expected_when_recorded(string name)
    {
        var (input, expected) = Case(name);
        using var spans = new SpanCollector();
        using (var span = ToolSpan.Start("t"))
        {
            span.SetOutput(JsonDocument.Parse(input).RootElement);
            span.SetInputsJson(input);
        }

        var recorded = spans.Single("t");
        AssertJsonEqual(expected, recorded.Tag("mlflow.spanOutputs")!);
        AssertJsonEqual(expected, recorded.Tag("mlflow.spanInputs")!);
    }

    [Fact]
    public void The_plugin_reads_an_identical_copy_of_the_rules()
    {
        var copy = Path.Combine(RepositoryPaths.Root, "integrations", "openclaw-plugin", "src", "redaction-rules.json");

        Assert.True(File.ReadAllText(s_rules) == File.ReadAllText(copy),
            "integrations/openclaw-plugin/src/redaction-rules.json differs from src/Instrumentation.Runtime/Redaction/redaction-rules.json: run `npm run sync-rules` in integrations/openclaw-plugin.");
    }

    [Fact]
    public void The_embedded_rules_are_the_rules_file_and_their_marker_is_the_one_spans_record()
    {
        Assert.Equal(SpanJson.RedactedMarker, RedactionRules.Marker);
        using var file = JsonDocument.Parse(File.ReadAllText(s_rules));
        Assert.Equal(file.RootElement.GetProperty("secretNames").GetArrayLength(), RedactionRules.SecretNames.Count);
        Assert.Equal(file.RootElement.GetProperty("secretValues").GetArrayLength(), RedactionRules.SecretValues.Count);
    }

    [Fact]
    public void The_rules_regexes_use_only_what_dotnet_and_javascript_read_alike()
    {
        // Inline flags, Unicode-dependent classes and boundaries, atomic and possessive groups, .NET-only anchors.
        string[] differing = ["(?i", "(?m", "(?s", "(?x", "\\w", "\\W", "\\d", "\\D", "\\s", "\\S", "\\b", "\\B", "(?>", "*+", "++", "?+", "\\A", "\\Z", "\\z"];
        using var file = JsonDocument.Parse(File.ReadAllText(s_rules));
        foreach (var rule in file.RootElement.GetProperty("secretValues").EnumerateArray())
        {
            var regex = rule.GetProperty("regex").GetString()!;
            foreach (var construct in differing)
            {
                Assert.False(regex.Contains(construct, System.StringComparison.Ordinal),
                    $"rule '{rule.GetProperty("name").GetString()}' uses {construct}, which JavaScript reads differently");
            }

            Assert.StartsWith("(", regex, System.StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("apiKey", true)]
    [InlineData("API_KEY", true)]
    [InlineData("x-api-key", true)]
    [InlineData("APIKey", true)]
    [InlineData("oauth2Token", true)]
    [InlineData("ConnectionString", true)]
    [InlineData("maxTokens", false)]
    [InlineData("tokenizer", false)]
    [InlineData("author", false)]
    [InlineData("keyboard", false)]
    [InlineData("", false)]
    public void Names_are_matched_as_whole_words_in_any_spelling(string name, bool secret)
    {
        Assert.Equal(secret, Redactor.Default.IsSecretName(name));
    }

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected: {expected}, actual: {actual}");
}
