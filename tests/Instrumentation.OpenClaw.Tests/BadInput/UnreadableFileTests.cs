using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Cli;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// A spool the bridge may not read (the plugin writes it 0600, so a bridge run by another user meets this): the real
/// <c>openclaw-bridge</c> process says which file, its mode and which user, exits 4 for <c>replay</c>, and keeps
/// retrying in <c>follow</c>. As root, which reads any file, the child runs without the two capabilities that let it
/// (setpriv), so the permission check is the kernel's, not a simulation.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnreadableFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("openclaw-bridge-unreadable-").FullName;

    public UnreadableFileTests()
    {
        // The child may need to search the folder without CAP_DAC_READ_SEARCH.
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool Unprivileged => BridgeProcess.IsRoot;

    [Fact]
    public async Task Replay_of_an_unreadable_file_names_the_file_its_mode_and_the_user_and_exits_4()
    {
        if (OperatingSystem.IsWindows() || (BridgeProcess.IsRoot && !BridgeProcess.CanDropRootCapabilities))
        {
            return;
        }

        var spool = Unreadable();

        var result = await BridgeProcess.RunAsync(new[] { "replay", "--no-tree", spool }, TimeSpan.FromMinutes(1), withoutFileCapabilities: Unprivileged);

        Assert.Equal(BridgeCli.ExitInput, result.Code);
        Assert.Equal(
            $"openclaw-bridge: {spool}: permission denied (mode 0000): the bridge runs as {InputFileProblem.CurrentUser()} and may not read it. " +
            "Run the bridge as the user OpenClaw runs as (the plugin writes its spool readable by that user only), or give this user read access",
            result.Err.TrimEnd());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public async Task Follow_of_an_unreadable_file_says_so_once_and_reads_it_when_it_becomes_readable()
    {
        if (OperatingSystem.IsWindows() || (BridgeProcess.IsRoot && !BridgeProcess.CanDropRootCapabilities))
        {
            return;
        }

        var spool = Unreadable();
        using var process = BridgeProcess.Start(new[] { "follow", "--no-tree", "--poll-interval", "00:00:00.050", spool }, Unprivileged);
        var output = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var first = await process.StandardError.ReadLineAsync(limit.Token);
        Assert.StartsWith($"openclaw-bridge: {spool}: permission denied (mode 0000): the bridge runs as ", first, StringComparison.Ordinal);
        Assert.EndsWith("; retrying until it can be read", first, StringComparison.Ordinal);

        File.SetUnixFileMode(spool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal($"openclaw-bridge: {spool}: the file can be read now: following it", await process.StandardError.ReadLineAsync(limit.Token));
        using (var interrupt = System.Diagnostics.Process.Start("kill", new[] { "-INT", process.Id.ToString(CultureInfo.InvariantCulture) }))
        {
            await interrupt.WaitForExitAsync(limit.Token);
        }

        await process.WaitForExitAsync(limit.Token);
        Assert.Equal("", await process.StandardError.ReadToEndAsync(limit.Token));
        Assert.Equal(BridgeCli.ExitOk, process.ExitCode);
        Assert.Contains("1 turns exported", await output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_permission_sentence_comes_from_the_exception_the_runtime_throws()
    {
        // The seam the process tests cannot skip: whatever user runs the suite, an access failure becomes this sentence.
        var spool = Path.Combine(_dir, "events.jsonl");
        File.WriteAllText(spool, "");
        File.SetUnixFileMode(spool, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var sentence = InputFileProblem.Describe(spool, new UnauthorizedAccessException("Access to the path is denied."));

        Assert.StartsWith($"{spool}: permission denied (mode 0600): the bridge runs as {Environment.UserName} (uid ", sentence, StringComparison.Ordinal);
        Assert.Equal($"{_dir}: is a directory, not a capture file", InputFileProblem.Describe(_dir, new UnauthorizedAccessException()));
    }

    /// <summary>The simple capture, timed now, with mode 0000 (owned by the user running the tests).</summary>
    private string Unreadable()
    {
        var spool = Path.Combine(_dir, "events.jsonl");
        File.WriteAllLines(spool, HostileInputTests.Now("gateway-simple.jsonl"));
        File.SetUnixFileMode(spool, UnixFileMode.None);
        return spool;
    }
}
