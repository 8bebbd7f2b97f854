using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;

namespace Instrumentation.OpenClaw.Tests;

/// <summary><c>follow</c> across the plugin's spool rotation (<c>events.jsonl</c> renamed to <c>events.jsonl.1</c>, a
/// new <c>events.jsonl</c> started): the renamed segment is read to its end before the new file.</summary>
public sealed class FollowRotationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-rotation-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_turn_finished_in_the_renamed_segment_and_one_in_the_new_file_are_both_exported()
    {
        var spool = Path.Combine(_dir, "events.jsonl");
        var tool = Shifted("gateway-tool.jsonl");
        var simple = Shifted("gateway-simple.jsonl");
        File.WriteAllLines(spool, tool.Take(10));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = BridgeCli.RunAsync(new[] { "follow", "--no-tree", "--poll-interval", "00:00:00.300", spool },
            TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), stop.Token);
        await Task.Delay(700);

        // Between two polls: the writer appends the rest of the turn, renames the file, and starts a new one.
        File.AppendAllLines(spool, tool.Skip(10));
        File.Move(spool, spool + ".1");
        File.WriteAllLines(spool, simple);
        await Task.Delay(1500);
        stop.Cancel();
        Assert.Equal(BridgeCli.ExitOk, await running);

        var output = stdout.ToString();
        Assert.Contains("2 turns exported (0 incomplete, 0 failed)", output, StringComparison.Ordinal);
        Assert.Contains("rotation", stderr.ToString(), StringComparison.Ordinal);
    }

    private static string[] Shifted(string capture)
    {
        var lines = Lines.Of(capture);
        var offset = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Lines.TsMs(lines[0]);
        return lines.Select(l => Lines.Shift(l, offset)).ToArray();
    }
}
