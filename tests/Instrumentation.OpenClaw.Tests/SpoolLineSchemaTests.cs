using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Instrumentation.Testing;
using Json.Schema;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// docs/openclaw-spool-line.schema.json is the one description of a spool line (what the plugin writes, what the bridge
/// reads). Every line of every recorded capture must satisfy it; the plugin's Node tests check what the plugin writes
/// against the same file.
/// </summary>
public sealed class SpoolLineSchemaTests
{
    private static readonly Lazy<JsonSchema> s_schema = new(() =>
        JsonSchema.FromFile(Path.Combine(RepositoryPaths.Root, "docs", "openclaw-spool-line.schema.json")));

    private static readonly EvaluationOptions s_list = new() { OutputFormat = OutputFormat.List };

    /// <summary>The schema's complaints about one line; empty when it is valid.</summary>
    private static List<string> Violations(string line)
    {
        using var document = JsonDocument.Parse(line);
        var result = s_schema.Value.Evaluate(document.RootElement, s_list);
        if (result.IsValid)
        {
            return new List<string>();
        }

        return (result.Details ?? new List<EvaluationResults>())
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }

    [Fact]
    public void Every_line_of_every_capture_satisfies_the_schema()
    {
        var checkedLines = 0;
        var failures = new List<string>();
        foreach (var file in Captures.All().OrderBy(f => f, StringComparer.Ordinal))
        {
            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                if (line.Length == 0)
                {
                    continue;
                }

                checkedLines++;
                foreach (var violation in Violations(line))
                {
                    failures.Add($"{Path.GetFileName(file)} line {number}: {violation}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.True(checkedLines > 300, $"only {checkedLines} capture lines were checked");
    }

    [Theory]
    [InlineData("""{"hook":"llm_input","tsMs":1,"ctx":{}}""", "event")]
    [InlineData("""{"hook":"llm_input","event":{},"ctx":{}}""", "tsMs")]
    [InlineData("""{"hook":"llm_input","ts":"yesterday","event":{}}""", "ts")]
    [InlineData("""{"hook":"llm_input","tsMs":1,"event":{},"ctx":"none"}""", "ctx")]
    [InlineData("""{"v":2,"hook":"llm_input","tsMs":1,"event":{}}""", "v")]
    [InlineData("""{"hook":"provider_call","tsMs":1,"event":{"phase":"middle","callId":"pc-1"}}""", "phase")]
    [InlineData("""{"hook":"provider_call","tsMs":1,"event":{"phase":"after"}}""", "callId")]
    [InlineData("""{"hook":"__plugin_register__","tsMs":1,"event":{}}""", "registrationMode")]
    public void A_line_the_bridge_would_misread_is_rejected_naming_the_field(string line, string field)
    {
        var violations = Violations(line);

        Assert.NotEmpty(violations);
        Assert.Contains(violations, v => v.Contains(field, StringComparison.Ordinal));
    }

    [Fact]
    public void A_provider_call_record_as_documented_is_accepted()
    {
        Assert.Empty(Violations("""
            {"v":1,"hook":"provider_call","tsMs":1795307218061.5,"event":{"phase":"before","callId":"pc-7f3a","attempt":1,
             "usageFormat":"openai"},"ctx":{"runId":"r1"}}
            """.ReplaceLineEndings("")));
    }
}
