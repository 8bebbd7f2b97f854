using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;
using Instrumentation.OpenClaw.Synthetic;
using Instrumentation.Testing.FakeMlflow;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>The bridge's delivery: every trace of a big interleaved replay reaches MLflow, the summary counts what
/// MLflow accepted, and a loss gives its own exit code and a sentence.</summary>
public sealed class DeliveryCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-delivery-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A capture of <paramref name="sessions"/> interleaved copies of a one-turn session (a tool call).</summary>
    private string Sessions(int sessions)
    {
        var path = Path.Combine(_dir, $"sessions-{sessions}.jsonl");
        var template = CaptureTemplate.FromFile(Captures.PathOf("gateway-tool.jsonl"));
        File.WriteAllLines(path, SyntheticStream.Interleave(new[] { template }, sessions, staggerMs: 50));
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BridgeCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task A_replay_of_3000_interleaved_sessions_delivers_3000_traces()
    {
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment("openclaw");
        var path = Sessions(3000);

        // MLflow stumbles at the start: the bridge retries and still delivers everything.
        server.FailNextExports(2, FakeFault.Status(503));
        var (code, output, errors) = await Run("replay", "--quiet", "--tracking-uri", server.TrackingUri.ToString(), "--experiment-id", experiment, path);

        Assert.Equal("", errors);
        Assert.Equal(BridgeCli.ExitOk, code);
        Assert.Equal(3000, server.Traces.Count);
        Assert.All(server.Traces, t => Assert.Equal("OK", t.State));
        var spans = server.Spans.Count;
        Assert.EndsWith($"; MLflow accepted 3000 of 3000 traces ({spans} spans) after 2 retries", output.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("3000 turns exported", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traces_MLflow_did_not_accept_give_a_distinct_exit_code_and_a_sentence()
    {
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment("openclaw");
        var path = Sessions(20);
        server.FailEveryExport(FakeFault.Status(503));

        var (code, output, errors) = await Run("replay", "--quiet", "--delivery-timeout", "00:00:00.300",
            "--tracking-uri", server.TrackingUri.ToString(), "--experiment-id", experiment, path);

        Assert.Equal(BridgeCli.ExitNotDelivered, code);
        Assert.Empty(server.Spans);
        Assert.Contains("; MLflow accepted 0 of 20 traces (0 spans) after ", output, StringComparison.Ordinal);
        var sentence = errors.TrimEnd();
        Assert.StartsWith("openclaw-bridge: 20 of 20 traces (", sentence, StringComparison.Ordinal);
        Assert.EndsWith($"spans) could not be delivered to MLflow at {new Uri(server.TrackingUri, "v1/traces")}: MLflow answered 503 Service Unavailable: injected fault",
            sentence, StringComparison.Ordinal);
    }
}
