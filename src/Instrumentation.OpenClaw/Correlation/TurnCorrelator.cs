// The turn state machine: its state, the dispatch of each hook to the rule that pairs it, and the end of input.
// Rules of docs/openclaw-hooks.md §4, one file each:
//   TurnCorrelator.Turns.cs          "AGENT (root, per turn)", "Session": a turn per ctx.runId; session-keyed hooks
//   TurnCorrelator.Attempts.cs       "attempt": (runId, ctx.trace.spanId); the agent hooks
//   TurnCorrelator.ModelCalls.cs     "LLM (per provider call)": model_call_* and provider_call records
//   TurnCorrelator.Messages.cs       "LLM output/usage": before_message_write
//   TurnCorrelator.Tools.cs          "TOOL": (runId, toolCallId)
//   TurnCorrelator.Subagents.cs      "AGENT (sub-agent)": the links between parent and child runs
//   TurnCorrelator.Completion.cs     "AGENT (root, per turn)": when a turn is over; releasing its state
//   TurnCorrelator.Families.cs       "AGENT (sub-agent)", "announce turn": whether a family can still grow
// The order complete turns are emitted in (parents first, families whole) is Scheduling/TurnScheduler.cs.

using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>
/// The state machine: folds hook events into one <see cref="TurnBuilder"/> per run in flight, decides when a turn is
/// complete, links its provider calls, freezes it (<see cref="TurnFreezer"/>) and hands the <see cref="CompletedTurn"/>
/// to <see cref="ITurnSink"/> (Scheduling), which decides when it is emitted. The builders of a complete turn are
/// released; what outlives them is a small <see cref="SubagentLink"/>
/// (while a child or announce run may still need the parent's span contexts) and the run id in a bounded
/// recently-exported set (so its late events are counted, not mistaken for a new turn).
/// </summary>
/// <remarks>Section numbers (§) refer to docs/openclaw-hooks.md. Not thread-safe: one reader drives it.</remarks>
internal sealed partial class TurnCorrelator
{
    private const string AnnouncePrefix = "announce:v1:";
    private const string SpawnToolName = "sessions_spawn";
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly OpenClawReplayOptions _options;
    private readonly ITurnSink _sink;
    private readonly ReplayStatistics _stats;

    // Runs in flight, by run id; and the runs of each session (before_message_write and tool_result_persist carry only
    // the session key, §2.1).
    private readonly Dictionary<string, TurnBuilder> _turns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TurnBuilder>> _sessions = new(StringComparer.Ordinal);

    // Complete runs handed downstream whose spans are not emitted yet (held by Scheduling for their parent or family),
    // with the live links Correlation still answers for them (IRunTracker).
    private readonly Dictionary<string, HandedOverTurn> _awaitingExport = new(StringComparer.Ordinal);

    private readonly Dictionary<string, SubagentLink> _linksByChildRun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SubagentLink> _linksByChildSession = new(StringComparer.Ordinal);
    private readonly RecentKeys _exportedRuns = new(65_536);

    private DateTimeOffset _clock;
    private DateTimeOffset _lastSweep;
    private bool _draining;
    private bool _clockStarted;

    public TurnCorrelator(OpenClawReplayOptions options, ITurnSink sink, ReplayStatistics stats)
    {
        _options = options;
        _sink = sink;
        _stats = stats;
    }

    /// <summary>Runs in flight plus complete runs not yet exported.</summary>
    public int TurnsInFlight => _turns.Count + _awaitingExport.Count;

    /// <summary>Sub-agent links still held.</summary>
    public int LinksHeld => _linksByChildRun.Count;

    /// <summary>Run ids remembered as exported.</summary>
    public int ExportedRunsRemembered => _exportedRuns.Count;

    /// <summary>Treats these runs as exported already (a restarted follow re-reading what an earlier run exported): their
    /// events count as late and start no turn.</summary>
    public void RememberExported(IEnumerable<string> runIds, DateTimeOffset now)
    {
        foreach (var runId in runIds)
        {
            _exportedRuns.Add(runId, now);
        }
    }

    public void Process(HookEvent hookEvent)
    {
        _stats.EventsRead++;
        AdvanceStreamClock(hookEvent.Time);
        switch (hookEvent)
        {
            case RunPhaseEvent phase:
                OnRunPhase(phase);
                break;
            case LlmInputEvent input:
                OnLlmInput(input);
                break;
            case ModelCallEvent call:
                OnModelCall(call);
                break;
            case MessageWriteEvent write:
                OnMessageWrite(write);
                break;
            case ToolCallEvent tool:
                OnToolCall(tool);
                break;
            case ToolResultPersistEvent persisted:
                OnToolResultPersist(persisted);
                break;
            case AgentEndEvent end:
                OnAgentEnd(end);
                break;
            case LlmOutputEvent output:
                OnLlmOutput(output);
                break;
            case SubagentEvent subagent:
                OnSubagent(subagent);
                break;
            case ProviderCallEvent providerCall:
                OnProviderCall(providerCall);
                break;
            case IgnoredHookEvent ignored:
                if (ignored.IsKnownHook)
                {
                    _stats.IgnoredEvents++;
                }
                else
                {
                    _stats.RecordUnknownHook(ignored.Hook);
                }

                break;
        }
    }

    /// <summary>Moves the clock forward (follow mode, once caught up) and closes what the windows say is over.</summary>
    public void AdvanceClock(DateTimeOffset now)
    {
        if (!_clockStarted || now > _clock)
        {
            _clock = now;
            _clockStarted = true;
        }

        Sweep();
    }

    /// <summary>End of input: closes every turn (incomplete ones marked) and emits everything still held.</summary>
    public void Complete()
    {
        _draining = true;
        var open = new List<TurnBuilder>(_turns.Values);
        open.Sort(static (a, b) => a.FirstEventTime.CompareTo(b.FirstEventTime));
        foreach (var turn in open)
        {
            if (!turn.IsComplete)
            {
                var (done, reason) = Evaluate(turn, endOfInput: true);
                CompleteTurn(turn, done ? reason : "end_of_input");
            }
        }

        // End of input: nothing more will come for the held families.
        _sink.Drain();
        _linksByChildRun.Clear();
        _linksByChildSession.Clear();
        _exportedRuns.Clear();
        _draining = false;
    }

    /// <summary>What Correlation keeps of a turn handed downstream until its spans are emitted: its live links.</summary>
    /// <param name="Kind">What the run is to the trace.</param>
    /// <param name="Link">Its own link, for a sub-agent or announce run.</param>
    /// <param name="ChildLinks">The links of the runs it spawned.</param>
    private readonly record struct HandedOverTurn(TurnKind Kind, SubagentLink? Link, List<SubagentLink>? ChildLinks);
}
