using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>Runs the built <c>openclaw-bridge</c> as a child process, the way a user or the plugin does: its real exit
/// code, its real standard error (an unhandled exception would print its stack trace there), and its peak resident
/// memory.</summary>
internal static partial class BridgeProcess
{
    public sealed record Result(int Code, string Out, string Err, long PeakRssBytes);

    private static string BridgeDll => Path.Combine(AppContext.BaseDirectory, "openclaw-bridge.dll");

    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Whether the process runs as root, which reads any file: permission tests then drop the capabilities that
    /// let it (setpriv), so the bridge meets a real "permission denied".</summary>
    public static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    public static bool CanDropRootCapabilities => File.Exists("/usr/bin/setpriv");

    /// <summary>Starts the bridge; <paramref name="withoutFileCapabilities"/> runs it without CAP_DAC_OVERRIDE and
    /// CAP_DAC_READ_SEARCH (as root, so file modes apply to it).</summary>
    public static Process Start(IEnumerable<string> args, bool withoutFileCapabilities = false, bool measure = false)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var command = new List<string>();
        if (measure)
        {
            command.AddRange(new[] { "/usr/bin/time", "-v" });
        }

        if (withoutFileCapabilities)
        {
            command.AddRange(new[] { "/usr/bin/setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search" });
        }

        command.AddRange(new[] { Dotnet, "exec", BridgeDll });
        command.AddRange(args);
        info.FileName = command[0];
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("MLFLOW_TRACKING_URI");
        info.Environment.Remove("MLFLOW_EXPERIMENT_ID");
        info.Environment.Remove("MLFLOW_EXPERIMENT_NAME");
        return Process.Start(info)!;
    }

    /// <summary>Runs the bridge to its end (bounded: killed after <paramref name="timeout"/>).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> args, TimeSpan timeout, bool withoutFileCapabilities = false)
    {
        var measure = File.Exists("/usr/bin/time");
        using var process = Start(args, withoutFileCapabilities, measure);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout);
        var sampled = 0L;
        try
        {
            // Without /usr/bin/time the peak comes from the kernel's high-water mark (VmHWM), read while the child runs.
            while (!measure && !process.HasExited && !limit.IsCancellationRequested)
            {
                try
                {
                    process.Refresh();
                    sampled = Math.Max(sampled, process.PeakWorkingSet64);
                }
                catch (InvalidOperationException)
                {
                    break;
                }

                await Task.Delay(10, limit.Token);
            }

            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openclaw-bridge {string.Join(' ', args)} did not end within {timeout}.");
        }

        var err = await error;
        var peak = sampled;
        if (measure)
        {
            // /usr/bin/time -v appends its report to standard error: take the peak, keep the bridge's own lines.
            var match = MaxRss().Match(err);
            peak = match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1024 : -1;
            var report = err.IndexOf("\tCommand being timed:", StringComparison.Ordinal);
            err = report >= 0 ? err[..report] : err;
            if (err.StartsWith("Command exited with non-zero status", StringComparison.Ordinal) || err.Contains("\nCommand exited with non-zero status", StringComparison.Ordinal))
            {
                err = Regex.Replace(err, "(^|\n)Command exited with non-zero status \\d+\n?$", "$1");
            }
        }

        return new Result(process.ExitCode, await output, err, peak);
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();
}
