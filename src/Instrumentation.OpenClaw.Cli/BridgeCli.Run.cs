using System;
using System.IO;
using System.Threading.Tasks;
using Instrumentation.Mlflow;
using Instrumentation.OpenClaw.Input;
using OpenTelemetry.Trace;

namespace Instrumentation.OpenClaw.Cli;

public static partial class BridgeCli
{
    /// <summary>
    /// One run of <c>replay</c> or <c>follow</c>: the replay, the OpenTelemetry pipeline its spans go to, and the report of
    /// malformed lines. Disposing it shuts the pipeline down.
    /// </summary>
    private sealed class BridgeRun : IDisposable
    {
        private readonly OpenClawReplay _replay;
        private readonly TracerProvider _provider;
        private readonly LineReporter _reporter;

        private BridgeRun(OpenClawReplay replay, TracerProvider provider, LineReporter reporter, DeliveryReport delivery)
        {
            Delivery = delivery;
            _replay = replay;
            _provider = provider;
            _reporter = reporter;
        }

        public ReplayStatistics Statistics => _replay.Statistics;

        /// <summary>What MLflow accepted; final once the run is disposed (the provider shut down).</summary>
        public DeliveryReport Delivery { get; }

        /// <summary>After disposal: <see cref="ExitNotDelivered"/> with its sentence on standard error when MLflow did not
        /// accept everything, else <see cref="ExitCode"/>.</summary>
        public async Task<int> DeliveryExitCodeAsync(TextWriter stderr)
        {
            if (Delivery.LossSentence() is not { } sentence)
            {
                return ExitCode;
            }

            await stderr.WriteLineAsync(sentence).ConfigureAwait(false);
            return ExitNotDelivered;
        }

        /// <summary><see cref="ExitOk"/>, or <see cref="ExitLinesSkipped"/> when malformed lines were skipped.</summary>
        public int ExitCode => Statistics.MalformedLines > 0 ? ExitLinesSkipped : ExitOk;

        /// <summary>
        /// Starts a run once the pipeline builds. Otherwise reports why on standard error and gives no run, with
        /// <see cref="ExitMlflowConfiguration"/>.
        /// </summary>
        public static async Task<(BridgeRun? Run, int ExitCode)> StartAsync(RunSettings settings, TextWriter stdout, TextWriter stderr)
        {
            TracerProvider provider;
            var delivery = new DeliveryReport();
            try
            {
                provider = BuildProvider(settings, stdout, delivery);
            }
            catch (MlflowConfigurationException ex)
            {
                await stderr.WriteLineAsync("openclaw-bridge: MLflow: " + ex.Message).ConfigureAwait(false);
                return (null, ExitMlflowConfiguration);
            }

            return (new BridgeRun(new OpenClawReplay(settings.Replay), provider, new LineReporter(stderr), delivery), ExitOk);
        }

        /// <summary>Replays one parsed line; a malformed one is reported.</summary>
        public void Process(HookParseResult line) => _reporter.Report(line, _replay.Process(line));

        public void AdvanceClock(DateTimeOffset now) => _replay.AdvanceClock(now);

        /// <summary>The replay, for follow's checkpoint (<see cref="OpenClawReplay.TurnExported"/>,
        /// <see cref="OpenClawReplay.RememberExported"/>).</summary>
        public OpenClawReplay Replay => _replay;

        /// <summary>Waits until every span handed over so far was exported (MLflow answered, or the delivery gave up and
        /// counted it lost): what a checkpoint may then claim.</summary>
        public void Flush() => _provider.ForceFlush();

        /// <summary>End of input: closes the turns still open (marked incomplete) and flushes every span.</summary>
        public void Finish()
        {
            _replay.Complete();
            _provider.ForceFlush();
        }

        public void Dispose() => _provider.Dispose();
    }

    /// <summary>Reports malformed lines on standard error, "file:line: skipped: reason", the first 100 of them.</summary>
    private sealed class LineReporter
    {
        private readonly TextWriter _stderr;
        private int _reported;

        public LineReporter(TextWriter stderr)
        {
            _stderr = stderr;
        }

        public void Report(HookParseResult line, string? error)
        {
            if (error is null)
            {
                return;
            }

            _reported++;
            if (_reported <= MaxReportedLines)
            {
                _stderr.WriteLine($"{line.Position}: skipped: {error}");
            }
            else if (_reported == MaxReportedLines + 1)
            {
                _stderr.WriteLine("openclaw-bridge: further malformed lines are counted, not shown");
            }
        }
    }
}
