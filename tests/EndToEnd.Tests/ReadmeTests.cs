using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The README's "What you will see" block is what <c>dotnet run --project samples/AgentDemo</c> prints, line for line.
/// Only what genuinely changes from run to run is masked: the trace id, durations and the user (the OS user name).
/// </summary>
public sealed class ReadmeTests
{
    /// <summary>The offline model and no exporter: what a fresh machine runs.</summary>
    internal static readonly IReadOnlyDictionary<string, string?> OfflineEnvironment = new Dictionary<string, string?>
    {
        ["MLFLOW_TRACKING_URI"] = null,
        ["MLFLOW_EXPERIMENT_ID"] = null,
        ["MLFLOW_EXPERIMENT_NAME"] = null,
        ["OPENAI_BASE_URL"] = null,
        ["OPENAI_API_KEY"] = null,
        ["OPENAI_MODEL"] = null,
        ["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] = null,
    };

    [Fact]
    public async Task The_readme_sample_output_is_what_the_demo_prints()
    {
        var readme = DocumentedText.FencedBlockAfter(DocumentedText.Read("README.md"), "## What you will see");

        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", [DemoTraceTests.DemoAssembly], RepositoryPaths.Root, OfflineEnvironment, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, "The demo failed:\n" + output);
        DocumentedText.AssertPrints(readme, output, "README.md");
    }

    [Fact]
    public async Task The_readme_agent_framework_output_is_what_its_demo_prints()
    {
        var readme = DocumentedText.FencedBlockAfter(DocumentedText.Read("README.md"), "`dotnet run --project samples/AgentFrameworkDemo` asks");
        var (exitCode, output) = await ChildProcess.RunAsync("dotnet", [DemoTraceTests.SampleAssembly("AgentFrameworkDemo")],
            RepositoryPaths.Root, OfflineEnvironment, TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, "The Agent Framework demo failed:\n" + output);
        DocumentedText.AssertPrints(readme, output, "README.md");
    }

    [Fact]
    public void Masking_hides_the_trace_id_durations_and_user_but_not_the_counts()
    {
        var masked = DocumentedText.Masked("AGENT RunAsync · 286 ms · OK · session demo-session · user root\n"
            + "trace tr-224bcc1f4076de2153c713564eac5c79 · 7 spans · tokens 1034 in (576 cached) / 53 out\n"
            + "└─ TOOL LookUpTitleAsync · 663 µs · OK\n\n");

        Assert.Equal(
            ["AGENT RunAsync · <duration> · OK · session demo-session · user <OS user>",
             "trace tr-<trace id> · 7 spans · tokens 1034 in (576 cached) / 53 out",
             "└─ TOOL LookUpTitleAsync · <duration> · OK"],
            masked);
    }
}
