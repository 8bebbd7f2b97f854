using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Testing.FakeMlflow;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// A restarted bridge neither loses nor repeats: a real <c>openclaw-bridge follow</c> is killed (SIGKILL) at several
/// points while a recording is written to its spool, and started again each time; the strict fake MLflow must then hold
/// every turn exactly once, each equal to the trace a single uninterrupted run gave.
/// </summary>
public sealed class FollowRestartTests : IDisposable
{
    private static readonly string[] s_captures =
        { "gateway-simple.jsonl", "gateway-tool.jsonl", "gateway-error500-retry.jsonl", "gateway-toolfail.jsonl", "gateway-exec-nonzero-exit.jsonl" };

    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-restart-").FullName;
    private readonly ITestOutputHelper _output;

    public FollowRestartTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Follow_killed_at_any_point_and_restarted_exports_every_turn_exactly_once()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var lines = Recording();
        using var server = FakeMlflowServer.Start();

        // The single run: everything written, nothing killed.
        var single = server.CreateExperiment("single");
        var singleSpool = Spool("single");
        File.WriteAllLines(singleSpool, lines);
        using (var bridge = StartFollow(server, single, singleSpool))
        {
            await WaitForRootsAsync(server, single, s_captures.Length);
            await StopAsync(bridge);
        }

        var expected = ByRun(server, single);
        Assert.Equal(s_captures.Length, expected.Count);

        // Killed after every few lines, at seeded points, and restarted: each start resumes from the checkpoint.
        var killed = server.CreateExperiment("killed");
        var spool = Spool("killed");
        File.WriteAllText(spool, "");
        var random = new Random(15);
        var written = 0;
        var kills = 0;
        var checkpoint = spool + ".checkpoint";
        while (written < lines.Length)
        {
            var before = Stamp(checkpoint);
            using var bridge = StartFollow(server, killed, spool);
            await WaitForChangeAsync(checkpoint, before);
            var next = Math.Min(lines.Length, written + random.Next(3, 12));
            before = Stamp(checkpoint);
            File.AppendAllText(spool, string.Join("", lines[written..next].Select(l => l + "\n")));
            written = next;
            if (written == lines.Length)
            {
                await WaitForRootsAsync(server, killed, s_captures.Length);
                await StopAsync(bridge);
                break;
            }

            // Kill it once it has caught up (turns exported, checkpoint written), or while it reads, exports and
            // writes its checkpoint.
            if (random.Next(2) == 0)
            {
                await WaitForChangeAsync(checkpoint, before);
            }
            else
            {
                await Task.Delay(random.Next(0, 60));
            }

            bridge.Kill();
            await bridge.WaitForExitAsync();
            kills++;
        }

        var actual = ByRun(server, killed);
        _output.WriteLine($"{kills} kills; {actual.Count} runs, {server.Traces.Count(t => t.ExperimentId == killed)} traces");
        foreach (var trace in server.Traces.Where(t => t.ExperimentId == killed))
        {
            _output.WriteLine(trace + " " + string.Join(", ", trace.Spans.Select(s => s.Name)) + " run " + trace.Root?.Attribute("openclaw.run_id"));
        }

        Assert.True(kills >= 5, $"only {kills} kills");
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (run, traces) in actual)
        {
            var trace = Assert.Single(traces);
            var want = Describe(Assert.Single(expected[run]));
            var got = Describe(trace);
            if (want != got)
            {
                _output.WriteLine("expected:\n" + want + "\nactual:\n" + got);
            }

            Assert.Equal(want, got);
        }
    }

    [Fact]
    public async Task A_checkpoint_survives_rotation_the_restart_finishes_the_renamed_segment_then_reads_the_new_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var lines = Recording();
        var first = Lines.Of(s_captures[0]).Count;
        var second = Lines.Of(s_captures[1]).Count;
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment("rotated");
        var spool = Spool("rotated");
        var checkpoint = spool + ".checkpoint";

        // The first turn whole and half of the second, then the bridge dies with the second in flight.
        File.WriteAllLines(spool, lines[..(first + second / 2)]);
        using (var bridge = StartFollow(server, experiment, spool))
        {
            await WaitForCaughtUpAsync(checkpoint, first);
            bridge.Kill();
            await bridge.WaitForExitAsync();
        }

        // While it is down the plugin finishes the segment and rotates: events.jsonl -> events.jsonl.1, a new file.
        File.AppendAllLines(spool, lines[(first + second / 2)..(first + second)]);
        File.Move(spool, spool + ".1");
        File.WriteAllLines(spool, lines[(first + second)..]);
        using (var bridge = StartFollow(server, experiment, spool))
        {
            // It resumes in the renamed segment, at the second turn's first line (after the first's lines without a
            // run id), and has nothing to suppress: the first turn lies wholly before that point.
            var resumed = await bridge.StandardError.ReadLineAsync() ?? "";
            var match = System.Text.RegularExpressions.Regex.Match(resumed,
                $"^openclaw-bridge: {System.Text.RegularExpressions.Regex.Escape(checkpoint)}: resuming at line (\\d+) of " +
                $"{System.Text.RegularExpressions.Regex.Escape(spool)}\\.1 \\(0 turns after it already exported\\)$");
            Assert.True(match.Success, resumed);
            var line = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(line, first + 1, first + second / 2);
            Assert.Contains("\"runId\"", lines[line - 1], StringComparison.Ordinal);
            Assert.DoesNotContain("\"runId\"", lines[first], StringComparison.Ordinal);
            await WaitForRootsAsync(server, experiment, s_captures.Length);
            await StopAsync(bridge);
        }

        var runs = ByRun(server, experiment);
        Assert.Equal(s_captures.Length, runs.Count);
        Assert.All(runs.Values, traces => Assert.Single(traces));
    }

    /// <summary>
    /// The window between MLflow committing a turn and the bridge hearing so: the fake stores the trace and never answers
    /// (<see cref="FakeFault.AcceptThenHang"/>), or never stores it (<see cref="FakeFault.Hang"/>), and the bridge is
    /// killed while it waits. The checkpoint holds the turn as in delivery with its trace id; the restarted bridge asks
    /// MLflow and sends the turn again only when MLflow does not have it. Either way the turn is in MLflow once.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_bridge_killed_while_MLflow_answers_a_turn_asks_MLflow_on_restart_and_sends_it_only_if_missing(bool committed)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var lines = Recording()[..Lines.Of(s_captures[0]).Count];
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment(committed ? "committed" : "lost");
        var spool = Spool(committed ? "committed" : "lost");
        var checkpoint = spool + ".checkpoint";
        File.WriteAllLines(spool, lines);
        server.FailNextExports(1, committed ? FakeFault.AcceptThenHang : FakeFault.Hang);
        using (var bridge = StartFollow(server, experiment, spool))
        {
            for (var i = 0; i < 1500 && server.HungExports == 0; i++)
            {
                await Task.Delay(20);
            }

            Assert.Equal(1, server.HungExports);
            Assert.Equal(committed ? 1 : 0, ByRun(server, experiment).Count);
            var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint))!;
            var inDelivery = Assert.Single(saved["inDelivery"]!.AsArray())!;
            Assert.Matches("^[0-9a-f]{32}$", (string?)inDelivery["traceId"]);
            Assert.Empty(saved["exported"]!.AsArray());
            bridge.Kill();
            await bridge.WaitForExitAsync();
        }

        server.ReleaseHungExports();
        var runId = (string)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint))!["inDelivery"]![0]!["runId"]!;
        using (var bridge = StartFollow(server, experiment, spool))
        {
            var resumed = await bridge.StandardError.ReadLineAsync() ?? "";
            Assert.EndsWith($"({(committed ? 1 : 0)} turns after it already exported)", resumed, StringComparison.Ordinal);
            await WaitForRootsAsync(server, experiment, 1);
            await StopAsync(bridge);
        }

        var runs = ByRun(server, experiment);
        var (run, traces) = Assert.Single(runs);
        Assert.Equal(runId, run);
        Assert.Single(traces);
        Assert.True(server.Traces.Single(t => t.ExperimentId == experiment).Root is not null);
    }

    /// <summary>
    /// Catching up with a long spool, <c>follow</c> hands turns over faster than it polls: it flushes every so many turns
    /// (from inside the export of the next one) so that the list in delivery stays short. Every turn still arrives once,
    /// and the checkpoint, read back while it catches up, never holds more than that many.
    /// </summary>
    [Fact]
    public async Task Catching_up_with_200_turns_follow_flushes_as_it_goes_and_delivers_each_once()
    {
        var spool = Spool("long");
        var template = Synthetic.CaptureTemplate.FromFile(Captures.PathOf("gateway-tool.jsonl"));
        File.WriteAllLines(spool, Synthetic.SyntheticStream.Interleave(new[] { template }, 200, staggerMs: 50));
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment("long");
        var largest = 0;
        using (var bridge = StartFollow(server, experiment, spool))
        {
            var checkpoint = spool + ".checkpoint";
            for (var i = 0; i < 3000 && ByRun(server, experiment).Count < 200; i++)
            {
                try
                {
                    if (File.Exists(checkpoint) && System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint)) is { } saved)
                    {
                        largest = Math.Max(largest, saved["inDelivery"]!.AsArray().Count);
                    }
                }
                catch (IOException)
                {
                }

                await Task.Delay(10);
            }

            await WaitForRootsAsync(server, experiment, 200);
            await StopAsync(bridge);
        }

        var runs = ByRun(server, experiment);
        Assert.Equal(200, runs.Count);
        Assert.All(runs.Values, traces => Assert.Single(traces));
        Assert.InRange(largest, 1, 32);
    }

    /// <summary>Waits (bounded) until the checkpoint was written after a flush with nothing in delivery and resumes past
    /// <paramref name="linesBefore"/> lines: the turns before are confirmed.</summary>
    private static async Task WaitForCaughtUpAsync(string checkpoint, int linesBefore)
    {
        for (var i = 0; i < 1500; i++)
        {
            if (File.Exists(checkpoint) && System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(checkpoint)) is { } saved
                && saved["inDelivery"]!.AsArray().Count == 0 && (long)saved["linesBefore"]! >= linesBefore)
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"{checkpoint} never showed the first turn confirmed");
    }

    private static DateTime Stamp(string path) => File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;

    /// <summary>Waits (bounded) until the bridge has replaced its checkpoint: it has caught up with the spool.</summary>
    private static async Task WaitForChangeAsync(string checkpoint, DateTime before)
    {
        for (var i = 0; i < 1500 && Stamp(checkpoint) == before; i++)
        {
            await Task.Delay(10);
        }

        Assert.NotEqual(before, Stamp(checkpoint));
    }

    /// <summary>The captures one after another, 20 s apart, timed from five minutes ahead: follow's wall clock, which
    /// closes turns whose windows passed once it has caught up, never reaches them during the test, so a turn is closed
    /// by its own events in both runs, whenever the writer pauses.</summary>
    private static string[] Recording()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 300_000;
        return s_captures.SelectMany((capture, i) =>
        {
            var capturedLines = Lines.Of(capture);
            var offset = now + i * 20_000 - Lines.TsMs(capturedLines[0]);
            return capturedLines.Select(l => Lines.Shift(l, offset));
        }).ToArray();
    }

    private string Spool(string name)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "events.jsonl");
    }

    private static Process StartFollow(FakeMlflowServer server, string experiment, string spool) =>
        BridgeProcess.Start(new[]
        {
            "follow", spool, "--no-tree", "--poll-interval", "00:00:00.020",
            "--tracking-uri", server.TrackingUri.ToString(), "--experiment-id", experiment,
        });

    private static async Task StopAsync(Process bridge)
    {
        using (var interrupt = Process.Start("kill", new[] { "-INT", bridge.Id.ToString(CultureInfo.InvariantCulture) }))
        {
            await interrupt.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await bridge.WaitForExitAsync(limit.Token);
    }

    private static async Task WaitForRootsAsync(FakeMlflowServer server, string experiment, int count)
    {
        for (var i = 0; i < 1500 && ByRun(server, experiment).Count < count; i++)
        {
            await Task.Delay(20);
        }

        // Anything sent twice arrives with the rest: give a repeat the time to show.
        await Task.Delay(500);
    }

    private static Dictionary<string, List<FakeTrace>> ByRun(FakeMlflowServer server, string experiment) =>
        server.Traces.Where(t => t.ExperimentId == experiment && t.Root is not null)
            .GroupBy(t => t.Root!.Attribute("openclaw.run_id") ?? "?")
            .ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>A trace without its ids: each span's depth, name, times, status and attributes (values naming the trace's
    /// own trace or span ids left out).</summary>
    private static string Describe(FakeTrace trace)
    {
        var ids = trace.Spans.Select(s => s.SpanId).Append(trace.OtlpTraceId).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        void Write(ReceivedSpan span, int depth)
        {
            text.Append(new string(' ', depth * 2)).Append(span.Name).Append(' ').Append(span.StartTimeUnixNano).Append('-')
                .Append(span.EndTimeUnixNano).Append(' ').Append(span.Status).Append('\n');
            foreach (var (key, value) in span.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                var shown = span.Attribute(key) ?? "";
                if (!ids.Any(id => shown.Contains(id, StringComparison.OrdinalIgnoreCase)))
                {
                    text.Append(new string(' ', depth * 2 + 2)).Append(key).Append('=').Append(shown).Append('\n');
                }
            }

            foreach (var child in trace.ChildrenOf(span).OrderBy(c => c.StartTimeUnixNano).ThenBy(c => c.Name, StringComparer.Ordinal))
            {
                Write(child, depth + 1);
            }
        }

        Write(trace.Root!, 0);
        return text.ToString();
    }
}
