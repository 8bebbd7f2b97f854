using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// What a failed provider call's LLM span says: no usage the provider never reported, no finish reason the provider
/// never gave, and no redacted <c>***</c> as <c>error.type</c>. Source: gateway-error500-retry.jsonl, whose first call
/// got HTTP 500 (its assistant message, line 11: stopReason "error", all-zero usage, errorType "server_error",
/// errorCode "internal_error").
/// </summary>
public sealed class FailedCallEmissionTests
{
    private const string Capture = "gateway-error500-retry.jsonl";

    [Fact]
    public void A_failed_call_without_reported_usage_has_no_usage_block_and_no_finish_reason()
    {
        var run = ReplayRun.OfCapture(Capture);

        var (failed, recovered) = Calls(run);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Empty(failed.TagObjects.Where(t => t.Key.StartsWith("gen_ai.usage.", StringComparison.Ordinal)).Select(t => t.Key));
        Assert.Null(failed.GetTagItem("mlflow.chat.tokenUsage"));
        Assert.Null(failed.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal("error", failed.Tag(OpenClawAttributes.LlmStopReason));

        // The retried call that succeeded keeps its usage and its finish reason.
        Assert.Equal((10521L, 12L, 5260L), recovered.Usage());
        Assert.Equal("stop", Assert.IsType<string[]>(recovered.GetTagItem("gen_ai.response.finish_reasons")).Single());
    }

    [Fact]
    public void A_failed_call_keeps_the_usage_its_provider_did_report()
    {
        var run = ReplayRun.OfLines(EditFailedMessage(message =>
        {
            message["usage"]!["input"] = 40;
            message["usage"]!["output"] = 3;
            message["usage"]!["totalTokens"] = 43;
        }));

        var (failed, _) = Calls(run);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal((40L, 3L, 0L), failed.Usage());
    }

    [Theory]
    [InlineData("***", "internal_error")]
    [InlineData("*****", "internal_error")]
    public void A_redacted_error_type_falls_back_to_the_error_code(string redacted, string expected)
    {
        var run = ReplayRun.OfLines(EditFailedMessage(message => message["errorType"] = redacted));

        var (failed, _) = Calls(run);
        Assert.Equal(expected, failed.Tag("error.type"));
        var attempt = run.ChildrenOf(Assert.Single(run.Roots)).First();
        Assert.NotEqual(redacted, attempt.Tag("error.type"));
    }

    [Fact]
    public void With_type_and_code_redacted_the_type_is_provider_error()
    {
        var run = ReplayRun.OfLines(EditFailedMessage(message =>
        {
            message["errorType"] = "***";
            message["errorCode"] = "***";
        }));

        var (failed, _) = Calls(run);
        Assert.Equal("provider_error", failed.Tag("error.type"));
        Assert.DoesNotContain(run.Spans, s => s.Tag("error.type") == "***");
    }

    private static (Activity Failed, Activity Recovered) Calls(ReplayRun run)
    {
        var llm = run.OfType("LLM").ToList();
        Assert.Equal(2, llm.Count);
        return (llm[0], llm[1]);
    }

    private static IEnumerable<string> EditFailedMessage(Action<JsonObject> edit)
    {
        var lines = Lines.Of(Capture);
        var index = lines.FindIndex(l =>
            Lines.Hook(l) == "before_message_write" && Lines.Node(l)["event"]?["message"]?["stopReason"]?.GetValue<string>() == "error");
        Assert.Equal(10, index);
        var node = Lines.Node(lines[index]);
        edit(node["event"]!["message"]!.AsObject());
        lines[index] = node.ToJsonString();
        return lines;
    }
}
