using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Mlflow.Delivery;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Cli;

/// <summary><c>follow</c>: tails the spool the plugin appends to, waiting for it to exist and to be readable.</summary>
public static partial class BridgeCli
{
    /// <summary>Turns handed to the exporter between two flushes at most, so that the checkpoint written before each
    /// turn stays small while <c>follow</c> catches up with a long spool.</summary>
    private const int MaxTurnsInDelivery = 32;

    private static async Task<int> FollowAsync(string path, bool fromEnd, TimeSpan poll, RunSettings settings, BridgeStatusFile? status,
        TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        var (run, failure) = await BridgeRun.StartAsync(settings, stdout, stderr).ConfigureAwait(false);
        if (run is null)
        {
            status?.Write("failed", null, force: true, stderr);
            return failure;
        }

        var checkpoint = new FollowCheckpoint(path);
        var resume = await ResumeAsync(checkpoint, run, stderr).ConfigureAwait(false);
        using (run)
        using (var tailer = new FileTailer(path, fromEnd && resume is not ResumeFrom.Start, settings.MaxLineBytes))
        {
            if (resume is ResumeFrom.Checkpoint { } at)
            {
                tailer.ResumeAt(at.Segment, at.Saved.Offset, at.Saved.LinesBefore);
            }

            run.Replay.TurnExported = checkpoint.Exported;

            // Before a turn's root span ends (and so before the exporter can send it), the checkpoint records it as in
            // delivery with its trace id: a bridge killed after MLflow accepted it and before the next flush asks MLflow
            // on restart instead of sending it again.
            var reading = new FollowCheckpoint.Position(tailer.Segment, tailer.NextLineOffset, tailer.LineNumber);
            run.Replay.TurnExporting = (runId, traceId) =>
            {
                // Catching up with a long spool, turns come faster than polls: a flush every so many turns keeps the
                // list in delivery (and so each write) short.
                if (checkpoint.InDeliveryCount >= MaxTurnsInDelivery)
                {
                    run.Flush();
                    checkpoint.Confirmed();
                }

                checkpoint.Exporting(runId, traceId.ToHexString(), reading);
                TrySaveCheckpoint(checkpoint, reading, tailer, flushed: false, stderr);
            };
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
                    var parsed = HookFileReader.Parse(line, path);
                    reading = new FollowCheckpoint.Position(tailer.Segment, line.Offset, line.Number - 1);
                    if (parsed.Event?.Context.RunId is { } runId)
                    {
                        checkpoint.Seen(runId, reading, tailer.Signature);
                    }

                    run.Process(parsed);
                }

                reading = new FollowCheckpoint.Position(tailer.Segment, tailer.NextLineOffset, tailer.LineNumber);

                status?.Write("following", run.Statistics, force: false, stderr);
                if (lines.Count == 0)
                {
                    // Caught up: the wall clock now closes turns whose windows passed (idle, retry, settle).
                    run.AdvanceClock(DateTimeOffset.UtcNow);
                    SaveCheckpoint(checkpoint, run, tailer, stderr);
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
            SaveCheckpoint(checkpoint, run, tailer, stderr);
        }

        await stdout.WriteLineAsync(Summary(run.Statistics, 1, cancelled: false) + run.Delivery.SummaryClause()).ConfigureAwait(false);
        status?.Write("stopped", run.Statistics, force: true, stderr);
        return await run.DeliveryExitCodeAsync(stderr).ConfigureAwait(false);
    }

    /// <summary>Where follow starts: a saved checkpoint's segment and offset, the spool's start (a checkpoint whose segment
    /// is gone), or where <c>--from-end</c> says (no checkpoint).</summary>
    private abstract record ResumeFrom
    {
        public sealed record Checkpoint(string Segment, FollowCheckpoint.Saved Saved) : ResumeFrom;

        public sealed record Start : ResumeFrom;
    }

    private static async Task<ResumeFrom?> ResumeAsync(FollowCheckpoint checkpoint, BridgeRun run, TextWriter stderr)
    {
        if (checkpoint.Load(out var problem) is not { } saved)
        {
            if (problem is not null)
            {
                await stderr.WriteLineAsync("openclaw-bridge: " + problem).ConfigureAwait(false);
            }

            return null;
        }

        if (checkpoint.FindSegment(saved) is not { } segment)
        {
            await stderr.WriteLineAsync($"openclaw-bridge: {checkpoint.FilePath}: the file it resumes in is gone (not {checkpoint.Spool} nor a rotated " +
                "segment of it); reading the spool from its start").ConfigureAwait(false);
            return new ResumeFrom.Start();
        }

        // The runs exported after the resume point are read again: the replay and the checkpoint skip them. So are the
        // turns that were in delivery when the last bridge stopped, if MLflow has them.
        var exported = saved.Exported.Concat(await ArrivedAsync(saved, run, stderr).ConfigureAwait(false)).ToList();
        run.Replay.RememberExported(exported, DateTimeOffset.UtcNow);
        checkpoint.Suppress(exported);
        await stderr.WriteLineAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "openclaw-bridge: {0}: resuming at line {1} of {2} ({3} turns after it already exported)",
            checkpoint.FilePath, saved.LinesBefore + 1, segment, exported.Count)).ConfigureAwait(false);
        return new ResumeFrom.Checkpoint(segment, saved);
    }

    /// <summary>The turns in delivery when the last bridge stopped that MLflow holds; those it does not hold, or that it
    /// could not be asked about, are read and sent again (the second said on standard error: MLflow may show them
    /// twice).</summary>
    private static async Task<IReadOnlyList<string>> ArrivedAsync(FollowCheckpoint.Saved saved, BridgeRun run, TextWriter stderr)
    {
        var arrived = new List<string>();
        foreach (var (runId, traceId) in saved.InDelivery)
        {
            if (run.Delivery.Target?.Rest is not { } rest)
            {
                continue;
            }

            var answer = await Task.Run(() => DeliveredTraces.Check(rest, ActivityTraceId.CreateFromString(traceId), OpenClawAttributes.RunId, runId))
                .ConfigureAwait(false);
            switch (answer.Arrival)
            {
                case TraceArrival.Arrived:
                    arrived.Add(runId);
                    break;
                case TraceArrival.Unknown:
                    await stderr.WriteLineAsync($"openclaw-bridge: could not ask MLflow whether turn {runId} (trace tr-{traceId}) arrived " +
                        $"before the last stop ({answer.Problem}); sending it again, so MLflow may show it twice").ConfigureAwait(false);
                    break;
            }
        }

        return arrived;
    }

    /// <summary>Flushes the pipeline, then records where a restart resumes.</summary>
    private static void SaveCheckpoint(FollowCheckpoint checkpoint, BridgeRun run, FileTailer tailer, TextWriter stderr)
    {
        if (!checkpoint.Dirty || !tailer.IsOpen)
        {
            return;
        }

        run.Flush();
        TrySaveCheckpoint(checkpoint, new FollowCheckpoint.Position(tailer.Segment, tailer.NextLineOffset, tailer.LineNumber), tailer,
            flushed: true, stderr);
    }

    /// <summary>Writes the checkpoint; a failure to write is said once.</summary>
    private static void TrySaveCheckpoint(FollowCheckpoint checkpoint, FollowCheckpoint.Position next, FileTailer tailer, bool flushed, TextWriter stderr)
    {
        try
        {
            checkpoint.Save(next, tailer.Signature, flushed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (checkpoint.ReportSaveFailure())
            {
                stderr.WriteLine($"openclaw-bridge: {checkpoint.FilePath}: cannot be written ({ex.Message}); a restart will read turns again");
            }
        }
    }
}
