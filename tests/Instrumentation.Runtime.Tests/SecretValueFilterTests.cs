using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// The pre-filter decides whether the regexes run, so it must say yes wherever a rule matches: then redaction is the
/// same as if every regex ran on every string. Each text below that some built-in rule matches is tested as text, as
/// JSON text in both escapings the runtime meets (its own relaxed one, and the default a user's serializer options
/// keep), and as UTF-8 JSON.
/// </summary>
public sealed class SecretValueFilterTests
{
    private static readonly SecretValueFilter s_filter = new(RedactionRules.SecretValues);

    private static readonly JsonSerializerOptions s_relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One or more secrets for every rule, in the shapes its regex allows (spaces or tabs, quotes, separators).
    private static readonly string[] s_secrets =
    [
        "Bearer abcdef1234567890XYZ", "token\tAbC.def~12345678", "Basic  dXNlcjpwYXNzMTIz", "bearer ________1abcdefgh",
        "sk-ant-api03-AbCdEf0123456789abcdef_gh", "sk-proj-AbCdEf0123456789abcdefXYZ",
        "ghp_0123456789abcdefghijABCDEFGHIJ012345", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
        "xoxb-1234567890-abcdefghijKL", "AKIAIOSFODNN7EXAMPLE", "ASIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SESSION_TOKEN\"='abcdefghijklmnop1234'",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
        "Password=hunter2", "pwd = 'p@ss word'", "api_key: abcd1234efgh", "\"apiKey\": \"abcdefgh1234\"",
        "ACCESS-TOKEN='zyxw9876vuts'", "client_secret=abcdefghij", "secretkey \t:  abcdefghijk", "AuthToken:abcdefghijkl",
        "postgres://admin:s3cr3t@db.example.com/app", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----",
    ];

    // What may stand around a secret: nothing, ASCII and non-ASCII words, and a newline (an escape in JSON).
    private static readonly string[] s_before = ["", "x ", "é ", "日本語 ", "\n", "{\"a\":1} ", "Kelvin \u212A "];
    private static readonly string[] s_after = ["", " end", " é", "\u00a0日本", "\n"];

    public static IEnumerable<string> Variants(string secret)
    {
        yield return secret;
        yield return secret.ToUpperInvariant();
        yield return secret.ToLowerInvariant();
        yield return secret.Replace(' ', '\t');

        // Characters the regex engine matches to an ASCII letter when ignoring case: the Kelvin sign and the long s.
        yield return secret.Replace('k', '\u212A').Replace('K', '\u212A');
        yield return secret.Replace('s', '\u017F');
    }

    [Fact]
    public void The_filter_says_yes_wherever_a_built_in_rule_matches_at_any_offset_and_in_any_form()
    {
        var regexes = RedactionRules.SecretValues.Select(rule => rule.Regex).ToArray();
        var matched = 0;
        foreach (var secret in s_secrets)
        {
            foreach (var variant in Variants(secret))
            {
                foreach (var before in s_before)
                {
                    foreach (var after in s_after)
                    {
                        // Prose before the secret moves it across the vector boundaries of the search (16, 32, 64 units).
                        for (var shift = 0; shift <= 70; shift += before.Length == 0 ? 1 : 23)
                        {
                            var text = Filler(shift) + before + variant + after;
                            if (!regexes.Any(regex => regex.IsMatch(text)))
                            {
                                continue;
                            }

                            matched++;
                            AssertMayMatch(text);
                        }
                    }
                }
            }
        }

        // Most variants still match some rule (upper-casing breaks the case-sensitive ones, which is fine).
        Assert.True(matched > 5000, $"only {matched} texts matched a rule: the test lost its cases");
    }

    [Fact]
    public void The_corpus_texts_that_a_rule_matches_pass_the_filter_too()
    {
        using var corpus = JsonDocument.Parse(File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "tests", "data", "redaction-corpus.json")));
        var regexes = RedactionRules.SecretValues.Select(rule => rule.Regex).ToArray();
        var strings = new List<string>();
        foreach (var item in corpus.RootElement.GetProperty("cases").EnumerateArray())
        {
            Collect(item.GetProperty("input"), strings);
        }

        var matched = strings.Where(text => regexes.Any(regex => regex.IsMatch(text))).ToList();
        Assert.NotEmpty(matched);
        matched.ForEach(AssertMayMatch);
    }

    [Theory]
    [InlineData("The quarterly report shows steady growth in every region, with the strongest results in the northern markets.")]
    [InlineData("""{"City":"Paris","TemperatureC":18,"Summary":"Sunny spells with a light westerly wind.","Alerts":["wind","uv"]}""")]
    [InlineData("The token for 2024 is in the basic plan, and a bearer of news arrived at 10:30.")]
    [InlineData("""{"apiVersion":"2024-01-01","keyCount":3,"monkey":"sk"}""")]
    public void Ordinary_text_and_json_without_secrets_pass_without_a_regex(string text)
    {
        // The point of the filter: these are the common case, and each "yes" would cost a run of every regex.
        Assert.False(s_filter.MayMatch(text, escaped: false), text);
        Assert.False(s_filter.MayMatch(text, escaped: true), text);
        Assert.False(s_filter.MayMatch(Encoding.UTF8.GetBytes(text)), text);
    }

    [Fact]
    public void An_escape_in_json_next_to_a_would_be_secret_counts_as_a_possible_one()
    {
        // Decoded, "Bearer\tabc..." matches (a tab after the scheme); the JSON bytes hold a backslash and a t there.
        const string Json = "\"Bearer\\tabcdef1234567890\"";
        Assert.True(s_filter.MayMatch(Encoding.UTF8.GetBytes(Json)));
        Assert.True(s_filter.MayMatch(Json, escaped: true));

        // As plain text, "\t" is a backslash and a t, which no rule matches after "Bearer".
        Assert.False(s_filter.MayMatch(Json, escaped: false));
    }

    [Fact]
    public void A_followedBy_that_a_greedy_walk_could_misread_is_refused_naming_the_rule()
    {
        // [a-z]* right after a prefix ending in a letter: where the prefix ends cannot be told from the walk back.
        var rule = new ValueRule("letters then digit", new Regex("()tok[a-z]*[0-9]"), ["tok"], false, ["[a-z]*", "[0-9]"]);

        var error = Assert.Throws<InvalidDataException>(() => new SecretValueFilter([rule]));
        Assert.Contains("rule 'letters then digit'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'[a-z]*'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_insensitive_word_prefix_without_followedBy_is_refused_naming_the_prefix()
    {
        var rule = new ValueRule("word", new Regex("()secret[0-9]+", RegexOptions.IgnoreCase), ["secret"], true);

        var error = Assert.Throws<InvalidDataException>(() => new SecretValueFilter([rule]));
        Assert.Contains("rule 'word': the prefix 'secret'", error.Message, StringComparison.Ordinal);
    }

    private static void AssertMayMatch(string text)
    {
        Assert.True(s_filter.MayMatch(text, escaped: false), "text: " + text);
        foreach (var options in new[] { s_relaxed, JsonSerializerOptions.Default })
        {
            var json = JsonSerializer.Serialize(text, options);
            Assert.True(s_filter.MayMatch(json, escaped: true), "JSON text: " + json);
            Assert.True(s_filter.MayMatch(Encoding.UTF8.GetBytes(json)), "UTF-8 JSON: " + json);
        }
    }

    private static string Filler(int length) =>
        string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit ", 2))[..length];

    private static void Collect(JsonElement element, List<string> strings)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                strings.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, strings);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    strings.Add(property.Name);
                    Collect(property.Value, strings);
                }

                break;
        }
    }
}
