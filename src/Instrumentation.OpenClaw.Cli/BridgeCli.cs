using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Mlflow;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Runtime;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// <c>openclaw-bridge replay &lt;file.jsonl&gt;...</c> and <c>openclaw-bridge follow &lt;file.jsonl&gt;</c>: replays
/// OpenClaw hook captures into MLflow spans (docs/openclaw-bridge.md, "The CLI"). Testable in-process through
/// <see cref="RunAsync"/>.
/// </summary>
public static partial class BridgeCli
{
    /// <summary>Everything was read and exported.</summary>
    public const int ExitOk = 0;

    /// <summary>The run completed, but malformed lines were skipped (each reported on standard error).</summary>
    public const int ExitLinesSkipped = 1;

    /// <summary>The command line is wrong.</summary>
    public const int ExitUsage = 2;

    /// <summary>The MLflow settings are wrong (unreachable server, unknown experiment, malformed URI).</summary>
    public const int ExitMlflowConfiguration = 3;

    /// <summary>An input file is missing or unreadable.</summary>
    public const int ExitInput = 4;

    /// <summary>The input was read, but MLflow did not accept every trace, even after retries (a sentence on standard
    /// error says how many and why).</summary>
    public const int ExitNotDelivered = 5;

    /// <summary><c>replay</c> was cancelled before the end of its input (what was read was still exported).</summary>
    public const int ExitCancelled = 130;

    private const int MaxReportedLines = 100;

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Where the span trees and the summary go.</param>
    /// <param name="stderr">Where malformed-line reports and errors go.</param>
    /// <param name="cancellationToken">Stops <c>follow</c> (cleanly: open turns are closed, spans flushed) or <c>replay</c>.</param>
    /// <returns>The exit code (<see cref="ExitOk"/> and the other <c>Exit*</c> constants). A bad command line, a missing
    /// or unreadable input file and a bad MLflow configuration are reported on <paramref name="stderr"/> and returned as
    /// exit codes, not thrown.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is <see langword="null"/>.</exception>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = BuildCommand(stdout, stderr);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync("openclaw-bridge: " + error.Message).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'openclaw-bridge --help' for usage.").ConfigureAwait(false);
            return ExitUsage;
        }

        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    private sealed class CommonOptions
    {
        public Option<bool> NoTree { get; } = new("--no-tree") { Description = "Do not print the span tree of each trace." };

        public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only the summary line (implies --no-tree)." };

        public Option<Uri?> TrackingUri { get; } = new("--tracking-uri")
        {
            Description = "MLflow tracking server (default: MLFLOW_TRACKING_URI; none: nothing is exported, the tree is still printed).",
            CustomParser = result => Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) ? uri : ReportBadUri(result),
        };

        public Option<string?> ExperimentId { get; } = new("--experiment-id") { Description = "MLflow experiment id (default: MLFLOW_EXPERIMENT_ID)." };

        public Option<string?> ExperimentName { get; } = new("--experiment-name") { Description = "MLflow experiment name, created when missing (default: MLFLOW_EXPERIMENT_NAME)." };

        public Option<TimeSpan> IdleTimeout { get; } = new("--idle-timeout")
        {
            Description = "Close a turn with no event for this long, marked incomplete (default 00:10:00).",
            DefaultValueFactory = _ => new OpenClawReplayOptions().IdleTimeout,
        };

        public Option<TimeSpan> RetryWindow { get; } = new("--retry-window")
        {
            Description = "How long after a failed attempt a retry may still start (default 00:01:00).",
            DefaultValueFactory = _ => new OpenClawReplayOptions().RetryWindow,
        };

        public Option<TimeSpan> DeliveryTimeout { get; } = new("--delivery-timeout")
        {
            Description = "How long a failed export to MLflow is retried before its traces count as not delivered (default 00:01:00).",
            DefaultValueFactory = _ => new MlflowDeliveryOptions().RetryWindow,
        };

        public RedactionCliOptions Redaction { get; } = new();

        public Option<int> MaxLineBytes { get; } = new("--max-line-bytes")
        {
            Description = "Skip (and report) a line longer than this many bytes without reading it into memory (default 4194304, 4 MiB).",
            DefaultValueFactory = _ => BoundedLineSplitter.DefaultMaxLineBytes,
            Validators = { result => { if (result.GetValueOrDefault<int>() < 1) { result.AddError("--max-line-bytes must be at least 1."); } } },
        };

        public void AddTo(Command command)
        {
            command.Add(MaxLineBytes);
            Redaction.AddTo(command);
            command.Add(DeliveryTimeout);
            command.Add(NoTree);
            command.Add(Quiet);
            command.Add(TrackingUri);
            command.Add(ExperimentId);
            command.Add(ExperimentName);
            command.Add(IdleTimeout);
            command.Add(RetryWindow);
        }

        private static Uri? ReportBadUri(System.CommandLine.Parsing.ArgumentResult result)
        {
            result.AddError("--tracking-uri must be an absolute URI, for example http://localhost:5000.");
            return null;
        }
    }

    private static RootCommand BuildCommand(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "Replays OpenClaw plugin hook events (JSON lines) as MLflow traces: one AGENT span per turn, LLM spans per " +
            "provider call, TOOL spans per tool call, sub-agents nested. Exports to MLflow when MLFLOW_TRACKING_URI " +
            "(or --tracking-uri) is set; prints each trace as a tree.");

        var replayOptions = new CommonOptions();
        var files = new Argument<string[]>("files") { Description = "Capture files, read in this order as one stream (pass rotated segments oldest first).", Arity = ArgumentArity.OneOrMore };
        var replay = new Command("replay", "Replay capture files, then exit.");
        replay.Add(files);
        replayOptions.AddTo(replay);
        replay.SetAction((parse, token) => ReplayAsync(parse.GetValue(files)!, Settings(parse, replayOptions), stdout, stderr, token));
        root.Add(replay);

        var followOptions = new CommonOptions();
        var file = new Argument<string>("file") { Description = "The capture file the OpenClaw plugin appends to." };
        var fromEnd = new Option<bool>("--from-end") { Description = "Skip what the file already holds; read only new lines." };
        var poll = new Option<TimeSpan>("--poll-interval")
        {
            Description = "How often to look for new lines (default 00:00:00.250).",
            DefaultValueFactory = _ => TimeSpan.FromMilliseconds(250),
        };
        var statusFile = new Option<string?>("--status-file")
        {
            Description = "Keep a JSON status (counts, last error, running or stopped) in this file, for `openclaw mlflow status`.",
        };
        var follow = new Command("follow", "Tail a growing capture file and export each turn as it completes, until Ctrl+C.");
        follow.Add(file);
        follow.Add(fromEnd);
        follow.Add(poll);
        follow.Add(statusFile);
        followOptions.AddTo(follow);
        follow.SetAction((parse, token) =>
        {
            var path = parse.GetValue(file)!;
            var status = parse.GetValue(statusFile) is { Length: > 0 } statusPath ? new BridgeStatusFile(statusPath, path) : null;
            var errors = status is null ? stderr : new BridgeStatusFile.ErrorRecorder(stderr, status);
            return FollowAsync(path, parse.GetValue(fromEnd), parse.GetValue(poll), Settings(parse, followOptions), status, stdout, errors, token);
        });
        root.Add(follow);
        return root;
    }

    private sealed record RunSettings(bool Tree, Uri? TrackingUri, string? ExperimentId, string? ExperimentName, OpenClawReplayOptions Replay,
        TimeSpan DeliveryTimeout, int MaxLineBytes);

    private static RunSettings Settings(ParseResult parse, CommonOptions options)
    {
        options.Redaction.Apply(parse);
        return new RunSettings(
            Tree: !parse.GetValue(options.Quiet) && !parse.GetValue(options.NoTree),
            TrackingUri: parse.GetValue(options.TrackingUri),
            ExperimentId: parse.GetValue(options.ExperimentId),
            ExperimentName: parse.GetValue(options.ExperimentName),
            Replay: new OpenClawReplayOptions
            {
                IdleTimeout = parse.GetValue(options.IdleTimeout),
                RetryWindow = parse.GetValue(options.RetryWindow),
            },
            DeliveryTimeout: parse.GetValue(options.DeliveryTimeout),
            MaxLineBytes: parse.GetValue(options.MaxLineBytes));
    }

    /// <summary>The OpenTelemetry pipeline: the agent source, the MLflow exporter (no-op without a tracking URI), the
    /// console tree. Throws <see cref="MlflowConfigurationException"/> for bad MLflow settings.</summary>
    private static TracerProvider BuildProvider(RunSettings settings, TextWriter stdout, DeliveryReport report)
    {
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(AgentTelemetry.SourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddMlflowExporter(options =>
            {
                options.TrackingUri = settings.TrackingUri ?? options.TrackingUri;
                options.ExperimentId = settings.ExperimentId ?? options.ExperimentId;
                options.ExperimentName = settings.ExperimentName ?? options.ExperimentName;
                options.OnResolved = target => report.Target = target;

                // Back-pressure: a replay outruns any server, so a full queue makes it wait (up to a minute per span)
                // instead of dropping traces. The bridge reports losses itself, in its summary.
                options.Delivery.QueueFullWait = TimeSpan.FromMinutes(1);
                options.Delivery.RetryWindow = settings.DeliveryTimeout > TimeSpan.Zero ? settings.DeliveryTimeout : options.Delivery.RetryWindow;
                options.Delivery.LossWarningOutput = null;
            });
        if (settings.Tree)
        {
            builder.AddTraceTreeConsoleExporter(options => options.Output = stdout);
        }

        return builder.Build()!;
    }

    private static async Task<int> ReplayAsync(string[] files, RunSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken token)
    {
        // Every file is checked before the first is read: a wrong last name is reported before anything is exported.
        foreach (var path in files)
        {
            if (CannotRead(path) is { } problem)
            {
                await stderr.WriteLineAsync("openclaw-bridge: " + problem).ConfigureAwait(false);
                return ExitInput;
            }
        }

        var (run, failure) = await BridgeRun.StartAsync(settings, stdout, stderr).ConfigureAwait(false);
        if (run is null)
        {
            return failure;
        }

        var cancelled = false;
        string? readFailure = null;
        using (run)
        {
            foreach (var path in files)
            {
                try
                {
                    foreach (var line in HookFileReader.ReadFile(path, settings.MaxLineBytes, token))
                    {
                        run.Process(line);
                    }

                    cancelled = token.IsCancellationRequested;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // What was read so far is still exported (run.Finish below); the sentence names the file.
                    readFailure = InputFileProblem.Describe(path, ex);
                    break;
                }

                if (cancelled)
                {
                    break;
                }
            }

            run.Finish();
        }

        await stdout.WriteLineAsync(Summary(run.Statistics, files.Length, cancelled) + run.Delivery.SummaryClause()).ConfigureAwait(false);
        if (readFailure is not null)
        {
            await stderr.WriteLineAsync("openclaw-bridge: " + readFailure).ConfigureAwait(false);
            return ExitInput;
        }

        return cancelled ? ExitCancelled : await run.DeliveryExitCodeAsync(stderr).ConfigureAwait(false);
    }

    /// <summary>Why <paramref name="path"/> cannot be read (missing, a directory, permission), or <see langword="null"/>
    /// when it opens.</summary>
    private static string? CannotRead(string path)
    {
        if (InputFileProblem.BeforeOpening(path) is { } problem)
        {
            return problem;
        }

        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return InputFileProblem.Describe(path, ex);
        }
    }

    /// <summary>The summary line: events read, turns, spans, lines skipped and why.</summary>
    internal static string Summary(ReplayStatistics stats, int files, bool cancelled)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = string.Format(inv,
            "openclaw-bridge: {0} events read from {1} file{2} ({3} lines); {4} turns exported ({5} incomplete, {6} failed); {7} spans; " +
            "{8} lines skipped ({9} malformed, {10} blank); {11} unknown-hook events{12}; {13} ignored, {14} unattributed, {15} late events",
            stats.EventsRead, files, files == 1 ? "" : "s", stats.LinesRead, stats.TurnsExported, stats.TurnsIncomplete, stats.TurnsFailed,
            stats.SpansExported, stats.MalformedLines + stats.BlankLines, stats.MalformedLines, stats.BlankLines, stats.UnknownHookEvents,
            stats.UnknownHookNames.Count > 0 ? " (" + string.Join(", ", stats.UnknownHookNames.OrderBy(n => n, StringComparer.Ordinal)) + ")" : "",
            stats.IgnoredEvents, stats.UnattributedEvents, stats.LateEvents);
        if (stats.TurnsWithoutActivity > 0)
        {
            text += string.Format(inv, "; {0} runs without agent activity not exported", stats.TurnsWithoutActivity);
        }

        if (stats.EmitFailures > 0)
        {
            text += string.Format(inv, "; {0} turns lost to emitter failures (last: {1})", stats.EmitFailures, stats.LastEmitFailure);
        }

        return cancelled ? text + "; cancelled" : text;
    }
}
