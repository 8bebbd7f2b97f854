using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// A sweep of hostile input through the whole command (parse, correlate, emit): each bad line costs that line, is
/// reported as one sentence with its file and line, and never reaches the user as a stack trace; the turn after it is
/// still exported.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, string> BadLines() => new()
    {
        { "binary-garbage", "not valid UTF-8 at byte " },
        { "nul-bytes", "invalid JSON: " },
        { "truncated-json", "invalid JSON: " },
        { "deeply-nested", "invalid JSON: " },
        { "invalid-utf8", "not valid UTF-8 at byte 10 of the line (0xC3)" },
        { "json-array", "not a JSON object" },
        { "huge-time", "missing time" },
        { "over-the-limit", "line longer than the 64 KiB limit (--max-line-bytes)" },
    };

    [Theory]
    [MemberData(nameof(BadLines))]
    public async Task A_hostile_line_is_one_sentence_with_its_position_and_the_next_turn_is_exported(string kind, string reason)
    {
        var path = Path.Combine(_dir, kind + ".jsonl");
        using (var file = File.Create(path))
        {
            file.Write(BadLine(kind));
            file.Write("\n"u8);
            file.Write(File.ReadAllBytes(Captures.PathOf("gateway-simple.jsonl")));
        }

        var (code, output, errors) = await Run("replay", "--no-tree", "--max-line-bytes", "65536", path);

        Assert.Equal(BridgeCli.ExitLinesSkipped, code);
        var line = Assert.Single(errors.TrimEnd().Split('\n'));
        Assert.StartsWith(path + ":1: skipped: " + reason, line, StringComparison.Ordinal);
        AssertNoStackTrace(errors + output);
        Assert.Contains("1 turns exported (0 incomplete, 0 failed)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Huge_numbers_inside_events_are_read_without_a_stack_trace()
    {
        // Durations, byte counts and token counts beyond any real value, in an otherwise good turn.
        var path = Path.Combine(_dir, "huge-numbers.jsonl");
        var lines = Lines.Of("gateway-simple.jsonl").Select(l => Regex.Replace(l,
            "\"(durationMs|timeToFirstByteMs|requestPayloadBytes|responseStreamBytes|input|output|totalTokens|cacheRead|cacheWrite)\":\\d+(\\.\\d+)?",
            m => m.Groups[1].Value is "durationMs" ? "\"durationMs\":1e308" : $"\"{m.Groups[1].Value}\":99999999999999999999999999999"));
        File.WriteAllLines(path, lines);

        var (code, output, errors) = await Run("replay", "--no-tree", path);

        AssertNoStackTrace(errors + output);
        Assert.Equal(BridgeCli.ExitOk, code);
        Assert.Equal("", errors);
        Assert.Contains("1 turns exported", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_files_folders_and_directories_are_named_with_exit_code_4()
    {
        var noFolder = Path.Combine(_dir, "nowhere", "events.jsonl");
        var missing = await Run("replay", noFolder);
        Assert.Equal(BridgeCli.ExitInput, missing.Code);
        Assert.Equal($"openclaw-bridge: {noFolder}: no such file (its folder {Path.GetDirectoryName(noFolder)} does not exist either)", missing.Err.TrimEnd());

        var directory = await Run("replay", Captures.PathOf("gateway-simple.jsonl"), _dir);
        Assert.Equal(BridgeCli.ExitInput, directory.Code);
        Assert.Equal($"openclaw-bridge: {_dir}: is a directory, not a capture file", directory.Err.TrimEnd());
        Assert.Equal("", directory.Out);
    }

    [Fact]
    public async Task Follow_waits_for_a_spool_and_its_folder_to_appear_saying_so_once()
    {
        var spool = Path.Combine(_dir, "not-yet", "events.jsonl");
        var stdout = new CliTests.SyncWriter();
        var stderr = new CliTests.SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = BridgeCli.RunAsync(new[] { "follow", "--no-tree", "--poll-interval", "00:00:00.020", spool }, stdout, stderr, stop.Token);
        await Eventually(() => stderr.ToString().Contains("waiting", StringComparison.Ordinal));
        await Task.Delay(200);

        Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
        File.WriteAllLines(spool, Now("gateway-simple.jsonl"));
        await Task.Delay(1000);
        stop.Cancel();

        Assert.Equal(BridgeCli.ExitOk, await running);
        Assert.Equal(
            new[]
            {
                $"openclaw-bridge: {spool}: no such file (its folder {Path.GetDirectoryName(spool)} does not exist either); waiting for it to appear",
                $"openclaw-bridge: {spool}: the file is there now: following it",
            },
            stderr.ToString().TrimEnd().Split('\n'));
        Assert.Contains("1 turns exported (0 incomplete, 0 failed)", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_of_a_directory_says_it_is_one_once_and_keeps_waiting()
    {
        var folder = Path.Combine(_dir, "events.jsonl");
        Directory.CreateDirectory(folder);
        var stderr = new CliTests.SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = BridgeCli.RunAsync(new[] { "follow", "--no-tree", "--poll-interval", "00:00:00.020", folder }, new StringWriter(), stderr, stop.Token);
        await Eventually(() => stderr.ToString().Contains("directory", StringComparison.Ordinal));
        await Task.Delay(200);
        stop.Cancel();

        Assert.Equal(BridgeCli.ExitOk, await running);
        Assert.Equal($"openclaw-bridge: {folder}: is a directory, not a capture file; waiting for a file at that path",
            Assert.Single(stderr.ToString().TrimEnd().Split('\n')));
    }

    [Fact]
    public async Task Follow_says_when_its_file_is_deleted_and_reads_the_next_one_from_its_start()
    {
        var spool = Path.Combine(_dir, "events.jsonl");
        var simple = Now("gateway-simple.jsonl");
        File.WriteAllLines(spool, simple);
        var stdout = new CliTests.SyncWriter();
        var stderr = new CliTests.SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = BridgeCli.RunAsync(new[] { "follow", "--no-tree", "--poll-interval", "00:00:00.020", spool }, stdout, stderr, stop.Token);
        await Task.Delay(500);

        File.Delete(spool);
        await Eventually(() => stderr.ToString().Contains("deleted", StringComparison.Ordinal));
        File.WriteAllLines(spool, Now("gateway-tool.jsonl"));
        await Eventually(() => stderr.ToString().Contains("rotation", StringComparison.Ordinal));
        await Task.Delay(500);
        stop.Cancel();

        Assert.Equal(BridgeCli.ExitOk, await running);
        var notices = stderr.ToString().TrimEnd().Split('\n');
        Assert.Equal($"openclaw-bridge: {spool}: file deleted: waiting for it to appear again", notices[0]);
        Assert.Equal($"openclaw-bridge: {spool}: file replaced (rotation): reading the new file from its start", notices[1]);
        Assert.Equal(2, notices.Length);
        Assert.Contains("2 turns exported (0 incomplete, 0 failed)", stdout.ToString(), StringComparison.Ordinal);
    }

    private static byte[] BadLine(string kind)
    {
        var first = Lines.Of("gateway-simple.jsonl")[0];
        switch (kind)
        {
            case "binary-garbage":
                // Seeded, so the first bad byte is always at the same place; no line feed, so it is one line.
                var random = new Random(14);
                var bytes = new byte[900];
                random.NextBytes(bytes);
                bytes[0] = 0xFF;
                return bytes.Select(b => b == (byte)'\n' ? (byte)' ' : b).ToArray();
            case "nul-bytes":
                return new byte[512];
            case "truncated-json":
                return Encoding.UTF8.GetBytes(first[..(first.Length / 2)]);
            case "deeply-nested":
                return Encoding.UTF8.GetBytes("{\"hook\":\"x\",\"tsMs\":1,\"event\":" + new string('[', 400) + new string(']', 400) + "}");
            case "invalid-utf8":
                return [.. "{\"hook\":\""u8, 0xC3, 0x28, .. "\",\"tsMs\":1,\"event\":{}}"u8];
            case "json-array":
                return "[1,2,3]"u8.ToArray();
            case "huge-time":
                return "{\"hook\":\"agent_end\",\"tsMs\":1e400,\"event\":{},\"ctx\":{}}"u8.ToArray();
            case "over-the-limit":
                return Encoding.UTF8.GetBytes("{\"hook\":\"llm_input\",\"tsMs\":1,\"event\":{\"prompt\":\"" + new string('x', 70_000) + "\"}}");
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    internal static void AssertNoStackTrace(string text)
    {
        Assert.DoesNotMatch(new Regex(@"^\s+at \S+\(", RegexOptions.Multiline), text);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await BridgeCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    internal static string[] Now(string capture)
    {
        var lines = Lines.Of(capture);
        var offset = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Lines.TsMs(lines[0]);
        return lines.Select(l => Lines.Shift(l, offset)).ToArray();
    }

    internal static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
