using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;
using Instrumentation.Testing.FakeMlflow;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>The CLI in-process: trees, summary, exit codes, MLflow export, follow.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BridgeCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Replay_prints_the_tree_and_a_summary_line()
    {
        var (code, output, errors) = await Run("replay", Captures.PathOf("gateway-subagent.jsonl"), Captures.PathOf("gateway-lifecycle.jsonl"));

        Assert.Equal(BridgeCli.ExitOk, code);
        Assert.Equal("", errors);
        Assert.Contains("AGENT main", output, StringComparison.Ordinal);
        Assert.Contains("└─ AGENT mock-child", output, StringComparison.Ordinal);
        Assert.Contains("AGENT announce", output, StringComparison.Ordinal);
        var summary = output.TrimEnd().Split('\n')[^1];
        Assert.Equal(
            "openclaw-bridge: 69 events read from 2 files (69 lines); 3 turns exported (0 incomplete, 0 failed); 8 spans; " +
            "0 lines skipped (0 malformed, 0 blank); 0 unknown-hook events; 22 ignored, 0 unattributed, 0 late events", summary);
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_their_position_and_the_run_goes_on()
    {
        var path = Path.Combine(_dir, "bad.jsonl");
        var lines = File.ReadAllLines(Captures.PathOf("gateway-simple.jsonl")).ToList();
        lines.Insert(2, "{oops");
        lines.Insert(4, "{\"hook\":\"mystery_hook\",\"tsMs\":1795307284000,\"event\":{},\"ctx\":{}}");
        File.WriteAllLines(path, lines);

        var (code, output, errors) = await Run("replay", "--no-tree", path);

        Assert.Equal(BridgeCli.ExitLinesSkipped, code);
        Assert.StartsWith(path + ":3: skipped: invalid JSON", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("AGENT", output, StringComparison.Ordinal);
        Assert.Contains("1 turns exported", output, StringComparison.Ordinal);
        Assert.Contains("1 lines skipped (1 malformed, 0 blank); 1 unknown-hook events (mystery_hook)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_errors_and_missing_files_have_their_exit_codes()
    {
        Assert.Equal(BridgeCli.ExitUsage, (await Run("replay")).Code);
        Assert.Equal(BridgeCli.ExitUsage, (await Run("transmogrify")).Code);
        Assert.Equal(BridgeCli.ExitUsage, (await Run("replay", "--tracking-uri", "not a uri", Captures.PathOf("gateway-simple.jsonl"))).Code);
        var missing = await Run("replay", Path.Combine(_dir, "nope.jsonl"));
        Assert.Equal(BridgeCli.ExitInput, missing.Code);
        Assert.Contains("no such file", missing.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_mlflow_server_is_a_configuration_error()
    {
        var port = LoopbackPorts.GetClosedPort();
        var (code, _, errors) = await Run("replay", "--tracking-uri", $"http://127.0.0.1:{port}", "--experiment-name", "x", Captures.PathOf("gateway-simple.jsonl"));

        Assert.Equal(BridgeCli.ExitMlflowConfiguration, code);
        Assert.StartsWith("openclaw-bridge: MLflow: ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_exports_to_mlflow()
    {
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment("openclaw");

        var (code, _, errors) = await Run("replay", "--quiet", "--tracking-uri", server.TrackingUri.ToString(), "--experiment-id", experiment,
            Captures.PathOf("gateway-tool.jsonl"), Captures.PathOf("gateway-error500-retry.jsonl"));

        Assert.Equal(BridgeCli.ExitOk, code);
        Assert.Equal("", errors);
        Assert.True(await server.WaitForSpansAsync(9, TimeSpan.FromSeconds(10)));
        Assert.Equal(2, server.Traces.Count);
        Assert.All(server.Traces, t => Assert.Equal(experiment, t.ExperimentId));
        Assert.All(server.Traces, t => Assert.Equal("main", t.Name));
    }

    [Fact]
    public async Task Follow_exports_turns_as_they_complete_survives_truncation_and_stops_cleanly()
    {
        var path = Path.Combine(_dir, "live.jsonl");
        File.WriteAllText(path, "");
        // Follow closes turns idle for 10 minutes by the wall clock: the captures' times are moved to now.
        static string[] Now(string capture)
        {
            var lines = Lines.Of(capture);
            var offset = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Lines.TsMs(lines[0]);
            return lines.Select(l => Lines.Shift(l, offset)).ToArray();
        }

        var tool = Now("gateway-tool.jsonl");
        var simple = Now("gateway-simple.jsonl");
        var stdout = new SyncWriter();
        var stderr = new SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = BridgeCli.RunAsync(new[] { "follow", "--poll-interval", "00:00:00.020", path }, stdout, stderr, stop.Token);

        // A turn written in two parts, the first ending mid-line.
        var text = string.Join("\n", tool) + "\n";
        File.AppendAllText(path, text[..(text.Length / 2)]);
        await Task.Delay(150);
        File.AppendAllText(path, text[(text.Length / 2)..]);
        await WaitFor(() => stdout.ToString().Contains("TOOL read", StringComparison.Ordinal));

        // Truncated and rewritten with another turn.
        File.WriteAllText(path, string.Join("\n", simple) + "\n");
        await WaitFor(() => stdout.ToString().Split("AGENT main").Length == 3);
        Assert.Contains("truncated", stderr.ToString(), StringComparison.Ordinal);

        // A turn cut short, then Ctrl+C: closed as incomplete and flushed.
        File.AppendAllLines(path, tool.Take(10).Select(l => l.Replace("2aea64df", "3bea64df", StringComparison.Ordinal)));
        await Task.Delay(200);
        stop.Cancel();
        var code = await running;

        Assert.Equal(BridgeCli.ExitOk, code);
        var output = stdout.ToString();
        Assert.Contains("3 turns exported (1 incomplete, 0 failed)", output, StringComparison.Ordinal);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    /// <summary>A StringWriter safe to read while the CLI writes from another task.</summary>
    internal sealed class SyncWriter : StringWriter
    {
        private readonly object _lock = new();

        public override void Write(char value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_lock)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_lock)
            {
                base.WriteLine(value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return base.ToString();
            }
        }
    }
}
