using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Cli;

/// <summary><c>follow</c>: tails the spool the plugin appends to, waiting for it to exist and to be readable.</summary>
public static partial class BridgeCli
{
    private static async Task<int> FollowAsync(string path, bool fromEnd, TimeSpan poll, RunSettings settings, BridgeStatusFile? status,
        TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        var (run, failure) = await BridgeRun.StartAsync(settings, stdout, stderr).ConfigureAwait(false);
        if (run is null)
        {
            status?.Write("failed", null, force: true, stderr);
            return failure;
        }

        using (run)
        using (var tailer = new FileTailer(path, fromEnd, settings.MaxLineBytes))
        {
            var interval = poll > TimeSpan.Zero ? poll : TimeSpan.FromMilliseconds(250);
            while (!token.IsCancellationRequested)
            {
                var lines = tailer.Poll();
                if (tailer.LastNotice is { } notice)
                {
                    await stderr.WriteLineAsync("openclaw-bridge: " + notice).ConfigureAwait(false);
                }

                foreach (var line in lines)
                {
                    run.Process(HookFileReader.Parse(line, path));
                }

                status?.Write("following", run.Statistics, force: false, stderr);
                if (lines.Count == 0)
                {
                    // Caught up: the wall clock now closes turns whose windows passed (idle, retry, settle).
                    run.AdvanceClock(DateTimeOffset.UtcNow);
                    run.Delivery.ReportNewLosses(stderr);
                    try
                    {
                        await Task.Delay(interval, token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            // Stopped (Ctrl+C): a last line without its line break is read, open turns are closed and marked
            // incomplete, and everything is flushed before exit.
            if (tailer.TakePartialLine() is { } partial)
            {
                run.Process(HookFileReader.Parse(partial, path));
            }

            run.Finish();
        }

        await stdout.WriteLineAsync(Summary(run.Statistics, 1, cancelled: false) + run.Delivery.SummaryClause()).ConfigureAwait(false);
        status?.Write("stopped", run.Statistics, force: true, stderr);
        return await run.DeliveryExitCodeAsync(stderr).ConfigureAwait(false);
    }
}
