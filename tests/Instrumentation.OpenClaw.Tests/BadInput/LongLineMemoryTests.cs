using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// A line over the limit is skipped and reported without being read into memory: a 200 MB valid line, a 200 MB invalid
/// one and 200 MB without any line break each keep the real <c>openclaw-bridge</c> process under 512 MiB (before: 2.0 GB,
/// 1.6 GB, and 8.4 GB then a crash). The inputs are written to a temp folder and deleted after each case.
/// </summary>
public sealed class LongLineMemoryTests : IDisposable
{
    private const long Size = 200L * 1000 * 1000;
    private const long MemoryLimit = 512L * 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-long-").FullName;
    private readonly ITestOutputHelper _output;

    public LongLineMemoryTests(ITestOutputHelper output)
    {
        _output = output;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Cases() => new() { "valid-json", "invalid-json", "no-line-break" };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_200_MB_line_is_skipped_with_its_position_in_bounded_memory(string kind)
    {
        var path = Path.Combine(_dir, kind + ".jsonl");
        WriteBigInput(path, kind);

        var result = await BridgeProcess.RunAsync(new[] { "replay", "--no-tree", path }, TimeSpan.FromMinutes(3));
        File.Delete(path);

        _output.WriteLine($"{kind}: exit {result.Code}, peak RSS {result.PeakRssBytes / (1024.0 * 1024):F1} MiB");
        _output.WriteLine(result.Err);
        Assert.Equal(BridgeCli.ExitLinesSkipped, result.Code);
        Assert.StartsWith(path + ":1: skipped: line longer than the 4 MiB limit (--max-line-bytes)", result.Err, StringComparison.Ordinal);
        Assert.Single(result.Err.TrimEnd().Split('\n'));
        Assert.InRange(result.PeakRssBytes, 1, MemoryLimit);
        // What follows the long line is still read: the capture written after it is one turn.
        var expectedTurns = kind == "no-line-break" ? 0 : 1;
        Assert.Contains($"{expectedTurns} turns exported", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 lines skipped (1 malformed, 0 blank)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endless_input_without_line_breaks_is_reported_at_once_stays_bounded_and_stops_on_ctrl_c()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var process = BridgeProcess.Start(new[] { "replay", "--no-tree", "/dev/zero" });
        var output = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = await process.StandardError.ReadLineAsync(limit.Token);
        Assert.Equal("/dev/zero:1: skipped: line longer than the 4 MiB limit (--max-line-bytes): skipped up to its line break, without reading it into memory", first);

        // Let it read well past the limit (the kernel's count of bytes the process read), then stop it as Ctrl+C does.
        while (ReadBytes(process.Id) < Size && !limit.IsCancellationRequested)
        {
            await Task.Delay(20, limit.Token);
        }

        process.Refresh();
        var peak = process.PeakWorkingSet64;
        using (var kill = Process.Start("kill", new[] { "-INT", process.Id.ToString(CultureInfo.InvariantCulture) }))
        {
            await kill.WaitForExitAsync(limit.Token);
        }

        await process.WaitForExitAsync(limit.Token);
        var rest = await process.StandardError.ReadToEndAsync(limit.Token);
        _output.WriteLine($"/dev/zero: read {ReadBytesLabel(Size)}+, peak RSS {peak / (1024.0 * 1024):F1} MiB, exit {process.ExitCode}");
        Assert.Equal(BridgeCli.ExitCancelled, process.ExitCode);
        Assert.Equal("", rest);
        Assert.InRange(peak, 1, MemoryLimit);
        Assert.Contains("1 lines skipped (1 malformed, 0 blank)", await output, StringComparison.Ordinal);
        Assert.EndsWith("; cancelled", (await output).TrimEnd(), StringComparison.Ordinal);
    }

    private static long ReadBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/io").FirstOrDefault(l => l.StartsWith("rchar:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["rchar:".Length..].Trim(), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string ReadBytesLabel(long bytes) => (bytes / 1_000_000).ToString(CultureInfo.InvariantCulture) + " MB";

    /// <summary>200 MB in 1 MB writes: a valid hook line with a huge system prompt, a line that is not JSON, or zeros
    /// without a line break; the first two are followed by a whole capture.</summary>
    private static void WriteBigInput(string path, string kind)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        var chunk = new byte[1_000_000];
        byte[] head = [], tail = [];
        switch (kind)
        {
            case "valid-json":
                head = Encoding.UTF8.GetBytes("{\"hook\":\"llm_input\",\"tsMs\":1795307218060,\"event\":{\"systemPrompt\":\"");
                tail = Encoding.UTF8.GetBytes("\"},\"ctx\":{}}\n");
                chunk.AsSpan().Fill((byte)'x');
                break;
            case "invalid-json":
                head = "{\"hook\":"u8.ToArray();
                tail = "\n"u8.ToArray();
                chunk.AsSpan().Fill((byte)'{');
                break;
        }

        file.Write(head);
        for (var written = 0L; written < Size; written += chunk.Length)
        {
            file.Write(chunk);
        }

        file.Write(tail);
        if (kind != "no-line-break")
        {
            file.Write(File.ReadAllBytes(Captures.PathOf("gateway-simple.jsonl")));
        }
    }
}
