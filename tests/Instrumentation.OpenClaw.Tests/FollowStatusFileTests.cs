using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;

namespace Instrumentation.OpenClaw.Tests;

/// <summary><c>follow --status-file</c>: what the OpenClaw plugin's <c>openclaw mlflow status</c> reads.</summary>
public sealed class FollowStatusFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-status-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_status_file_counts_turns_keeps_the_last_error_and_says_when_follow_stopped()
    {
        var spool = Path.Combine(_dir, "events.jsonl");
        var statusPath = Path.Combine(_dir, "bridge-status.json");
        File.WriteAllText(spool, "");
        var lines = Lines.Of("gateway-simple.jsonl");
        var offset = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Lines.TsMs(lines[0]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = BridgeCli.RunAsync(
            new[] { "follow", "--no-tree", "--poll-interval", "00:00:00.020", "--status-file", statusPath, spool },
            TextWriter.Synchronized(new StringWriter()), TextWriter.Synchronized(new StringWriter()), stop.Token);

        await WaitFor(() => Read(statusPath)?.GetProperty("state").GetString() == "following");
        File.AppendAllLines(spool, lines.Select(l => Lines.Shift(l, offset)).Append("{oops"));
        await WaitFor(() => Read(statusPath)?.GetProperty("turnsExported").GetInt64() == 1);
        stop.Cancel();
        await running;

        var status = Read(statusPath)!.Value;
        Assert.Equal("stopped", status.GetProperty("state").GetString());
        Assert.Equal(Environment.ProcessId, status.GetProperty("pid").GetInt32());
        Assert.Equal(Path.GetFullPath(spool), status.GetProperty("spool").GetString());
        Assert.Equal(1, status.GetProperty("turnsExported").GetInt64());
        Assert.Equal(1, status.GetProperty("malformedLines").GetInt64());
        Assert.StartsWith(spool + ":" + (lines.Count + 1) + ": skipped: invalid JSON",
            status.GetProperty("lastError").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(statusPath + ".tmp"));
    }

    [Fact]
    public async Task A_bridge_that_cannot_start_leaves_a_failed_status_with_the_reason()
    {
        var spool = Path.Combine(_dir, "events.jsonl");
        File.WriteAllText(spool, "");
        var statusPath = Path.Combine(_dir, "status", "bridge-status.json");

        var code = await BridgeCli.RunAsync(
            new[] { "follow", "--status-file", statusPath, "--tracking-uri", "file:///tmp/mlruns", spool },
            new StringWriter(), new StringWriter(), CancellationToken.None);

        Assert.Equal(BridgeCli.ExitMlflowConfiguration, code);
        var status = Read(statusPath)!.Value;
        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.StartsWith("openclaw-bridge: MLflow: ", status.GetProperty("lastError").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private static JsonElement? Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
