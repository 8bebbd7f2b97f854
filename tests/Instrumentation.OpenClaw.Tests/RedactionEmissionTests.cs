using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;
using Instrumentation.Runtime;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// The bridge emits through the runtime's span types, so the runtime's redaction policy applies to what it sends to
/// MLflow (issue 14): before it, an OpenClaw tool parameter <c>apiKey</c> and a key in a prompt went out as they were.
/// A real capture, with secrets written into it the way a tool call and a user would.
/// </summary>
public sealed class RedactionEmissionTests
{
    private const string OpenAiKey = "sk-proj-AbCdEf0123456789abcdefXYZ";

    private static string[] CaptureWithSecrets() => File.ReadAllLines(Captures.PathOf("gateway-tool.jsonl")).Select(line =>
    {
        var node = JsonNode.Parse(line)!;
        var hook = node["hook"]!.GetValue<string>();
        var payload = node["event"]!.AsObject();
        if (hook is "before_tool_call" or "after_tool_call")
        {
            payload["params"]!["apiKey"] = "abc123-tool-secret";
        }
        else if (hook == "llm_input")
        {
            payload["prompt"] = "SCENARIO:tool Read notes.txt with " + OpenAiKey;
        }

        return node.ToJsonString();
    }).ToArray();

    [Fact]
    public void A_tool_parameter_apiKey_and_a_key_in_the_prompt_never_reach_a_span()
    {
        var run = ReplayRun.OfLines(CaptureWithSecrets());

        var tool = Assert.Single(run.OfType("TOOL"));
        Assert.Equal("""{"path":"notes.txt","apiKey":"[REDACTED]"}""", tool.Tag("mlflow.spanInputs"));
        var llm = run.OfType("LLM").First();
        Assert.Contains("SCENARIO:tool Read notes.txt with [REDACTED]", llm.Tag("mlflow.spanInputs"), StringComparison.Ordinal);
        foreach (var span in run.Spans)
        {
            foreach (var (key, value) in span.Tags)
            {
                Assert.DoesNotContain("abc123-tool-secret", value ?? "", StringComparison.Ordinal);
                Assert.DoesNotContain(OpenAiKey, value ?? "", StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void With_redaction_turned_off_the_bridge_emits_values_as_they_are()
    {
        var before = AgentTelemetry.Options.Redaction.Enabled;
        AgentTelemetry.Configure(o => o.Redaction.Enabled = false);
        try
        {
            var run = ReplayRun.OfLines(CaptureWithSecrets());

            Assert.Contains("abc123-tool-secret", Assert.Single(run.OfType("TOOL")).Tag("mlflow.spanInputs"), StringComparison.Ordinal);
        }
        finally
        {
            AgentTelemetry.Configure(o => o.Redaction.Enabled = before);
        }
    }
}

/// <summary>The bridge's <c>--no-redaction</c>, <c>--redact-name</c> and <c>--redact-pattern</c>, which the plugin passes on.</summary>
public sealed class RedactionCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-redaction-").FullName;

    public void Dispose()
    {
        // The options are process-wide: leave the default policy for the next test.
        AgentTelemetry.Configure(o =>
        {
            o.Redaction.Enabled = true;
            o.Redaction.SecretNames.Clear();
            o.Redaction.SecretValuePatterns.Clear();
        });
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(int Code, string Err, Activity Tool)> Replay(params string[] options)
    {
        var path = Path.Combine(_dir, "capture.jsonl");
        File.WriteAllLines(path, File.ReadAllLines(Captures.PathOf("gateway-tool.jsonl")));
        using var spans = new SpanCollector();
        var stderr = new StringWriter();
        var code = await BridgeCli.RunAsync(["replay", "--no-tree", .. options, path], new StringWriter(), stderr, CancellationToken.None);
        return (code, stderr.ToString(), spans.Spans.SingleOrDefault(s => s.DisplayName == "read")!);
    }

    [Fact]
    public async Task Extra_names_and_patterns_apply_to_what_the_bridge_emits()
    {
        var (code, _, tool) = await Replay("--redact-name", "path", "--redact-pattern", "(These are )mock");

        Assert.Equal(BridgeCli.ExitOk, code);
        Assert.Equal("""{"path":"[REDACTED]"}""", tool.GetTagItem("mlflow.spanInputs"));
        Assert.Contains("These are [REDACTED] notes", (string)tool.GetTagItem("mlflow.spanOutputs")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_pattern_is_a_usage_error_that_names_it()
    {
        var (code, errors, _) = await Replay("--redact-pattern", "([unclosed");

        Assert.Equal(BridgeCli.ExitUsage, code);
        Assert.Contains("--redact-pattern '([unclosed' is not a valid regular expression", errors, StringComparison.Ordinal);
    }
}
