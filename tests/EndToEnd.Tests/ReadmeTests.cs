using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The README's "What you will see" block is what <c>dotnet run --project samples/AgentDemo</c> prints, line for line.
/// Only what genuinely changes from run to run is masked: the trace id, durations and the user (the OS user name).
/// </summary>
public sealed class ReadmeTests
{
    private static readonly (Regex Pattern, string Mask)[] s_variable =
    {
        (new Regex(@"\btr-[0-9a-f]{32}\b"), "tr-<trace id>"),
        (new Regex(@"· \d+(?:\.\d+)? (?:µs|ms|s|min) ·"), "· <duration> ·"),
        (new Regex(@"· user \S+$"), "· user <OS user>"),
    };

    [Fact]
    public async Task The_readme_sample_output_is_what_the_demo_prints()
    {
        var readme = SampleOutput(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
        var environment = new Dictionary<string, string?>
        {
            // The offline model and no exporter: what a fresh machine runs.
            ["MLFLOW_TRACKING_URI"] = null,
            ["MLFLOW_EXPERIMENT_ID"] = null,
            ["MLFLOW_EXPERIMENT_NAME"] = null,
            ["OPENAI_BASE_URL"] = null,
            ["OPENAI_API_KEY"] = null,
            ["OPENAI_MODEL"] = null,
            ["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] = null,
        };
        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", [DemoTraceTests.DemoAssembly], RepositoryPaths.Root, environment, TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, "The demo failed:\n" + output);

        var expected = Masked(readme);
        var actual = Masked(output);
        var firstDifference = Enumerable.Range(0, Math.Max(expected.Count, actual.Count))
            .FirstOrDefault(i => i >= expected.Count || i >= actual.Count || expected[i] != actual[i], -1);
        if (firstDifference >= 0)
        {
            Assert.Fail(
                $"README.md's sample output differs from the demo's at line {firstDifference + 1}:\n" +
                $"  README: {(firstDifference < expected.Count ? expected[firstDifference] : "(no more lines)")}\n" +
                $"  demo:   {(firstDifference < actual.Count ? actual[firstDifference] : "(no more lines)")}\n" +
                "The demo printed:\n" + output);
        }
    }

    [Fact]
    public void Masking_leaves_the_token_counts_and_tree_in_place()
    {
        var line = Masked("AGENT RunAsync · 286 ms · OK · session demo-session · user root\n"
            + "trace tr-224bcc1f4076de2153c713564eac5c79 · 7 spans · tokens 1034 in (576 cached) / 53 out");

        Assert.Equal(
            ["AGENT RunAsync · <duration> · OK · session demo-session · user <OS user>",
             "trace tr-<trace id> · 7 spans · tokens 1034 in (576 cached) / 53 out"],
            line);
    }

    /// <summary>The first fenced block after the "What you will see" heading.</summary>
    private static string SampleOutput(string readme)
    {
        var match = Regex.Match(readme, @"^## What you will see$.*?^```\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no fenced block under '## What you will see'.");
        return match.Groups[1].Value;
    }

    private static List<string> Masked(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')
            .Select(line => s_variable.Aggregate(line.TrimEnd(), (current, v) => v.Pattern.Replace(current, v.Mask)))
            .ToList();
}
