using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>
/// The state machine: folds hook events into one <see cref="TurnState"/> per run in flight, decides when a turn is
/// complete, and hands complete turns to <see cref="ITurnSink"/> in an order where a parent is always emitted before the
/// runs nested under it. State of a complete turn is released; what outlives it is a small <see cref="SubagentLink"/>
/// (while a child or announce run may still need the parent's span contexts) and the run id in a bounded
/// recently-exported set (so its late events are counted, not mistaken for a new turn).
/// </summary>
/// <remarks>Section numbers (§) refer to shared/openclaw-hooks.md. Not thread-safe: one reader drives it.</remarks>
internal sealed class TurnCorrelator
{
    private const string AnnouncePrefix = "announce:v1:";
    private const string SpawnToolName = "sessions_spawn";
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly OpenClawReplayOptions _options;
    private readonly ITurnSink _sink;
    private readonly ReplayStatistics _stats;

    // Runs in flight, by run id; and the runs of each session (before_message_write and tool_result_persist carry only
    // the session key, §2.1).
    private readonly Dictionary<string, TurnState> _turns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TurnState>> _sessions = new(StringComparer.Ordinal);

    // Complete runs waiting for their parent to be emitted (a child that finished before the turn that spawned it).
    private readonly Dictionary<string, TurnState> _waiting = new(StringComparer.Ordinal);

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

    /// <summary>Runs in flight plus complete runs waiting for their parent.</summary>
    public int TurnsInFlight => _turns.Count + _waiting.Count;

    /// <summary>Sub-agent links still held.</summary>
    public int LinksHeld => _linksByChildRun.Count;

    /// <summary>Run ids remembered as exported.</summary>
    public int ExportedRunsRemembered => _exportedRuns.Count;

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
        var open = new List<TurnState>(_turns.Values);
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
        var holding = new List<TurnState>();
        foreach (var waiting in _waiting.Values)
        {
            if (waiting.HoldingForFamily)
            {
                holding.Add(waiting);
            }
        }

        holding.Sort(static (a, b) => a.FirstEventTime.CompareTo(b.FirstEventTime));
        foreach (var turn in holding)
        {
            if (_waiting.ContainsKey(turn.RunId) && turn.HoldingForFamily)
            {
                turn.HoldingForFamily = false;
                _waiting.Remove(turn.RunId);
                Emit(turn, forceRoot: false);
            }
        }

        // Only a cycle of parent links (which real streams do not produce) can leave runs waiting here.
        while (_waiting.Count > 0)
        {
            var enumerator = _waiting.Values.GetEnumerator();
            enumerator.MoveNext();
            var orphan = enumerator.Current;
            _waiting.Remove(orphan.RunId);
            Emit(orphan, forceRoot: true);
        }

        _linksByChildRun.Clear();
        _linksByChildSession.Clear();
        _exportedRuns.Clear();
        _draining = false;
    }

    // ---------------------------------------------------------------- clock and windows

    private void AdvanceStreamClock(DateTimeOffset time)
    {
        // The clock is the latest event's time, not the maximum ever seen: files replayed out of chronological order, or
        // one bogus timestamp, must not make every window expire at once. A backward jump simply expires nothing.
        _clock = time;
        if (!_clockStarted)
        {
            _clockStarted = true;
            _lastSweep = time;
            return;
        }

        if ((time - _lastSweep).Duration() >= SweepInterval)
        {
            Sweep();
        }
    }

    private void Sweep()
    {
        _lastSweep = _clock;
        if (_turns.Count > 0)
        {
            List<TurnState>? due = null;
            foreach (var turn in _turns.Values)
            {
                if (Evaluate(turn, endOfInput: false).Done)
                {
                    (due ??= new()).Add(turn);
                }
            }

            if (due is not null)
            {
                due.Sort(static (a, b) => a.FirstEventTime.CompareTo(b.FirstEventTime));
                foreach (var turn in due)
                {
                    if (!turn.IsComplete)
                    {
                        CompleteTurn(turn, Evaluate(turn, endOfInput: false).IncompleteReason);
                    }
                }
            }
        }

        if (_waiting.Count > 0)
        {
            List<TurnState>? held = null;
            foreach (var waiting in _waiting.Values)
            {
                if (waiting.HoldingForFamily)
                {
                    (held ??= new()).Add(waiting);
                }
            }

            if (held is not null)
            {
                foreach (var turn in held)
                {
                    ReleaseIfFamilyDone(turn);
                }
            }
        }

        RetireLinks();
        _exportedRuns.ExpireBefore(_clock - _options.ExportedRunMemory);
    }

    private void RetireLinks()
    {
        if (_linksByChildRun.Count == 0)
        {
            return;
        }

        List<SubagentLink>? retired = null;
        foreach (var link in _linksByChildRun.Values)
        {
            var childInFlight = _turns.ContainsKey(link.ChildRunId) || _waiting.ContainsKey(link.ChildRunId);
            var settled = link.ChildEmitted
                && (link.AnnounceEmitted || (link.EndedSeenAt is { } seen && _clock - seen >= _options.LinkRetention));
            var stale = !childInFlight && _clock - link.LastTouched >= _options.IdleTimeout;
            if (settled || stale)
            {
                (retired ??= new()).Add(link);
            }
        }

        if (retired is null)
        {
            return;
        }

        foreach (var link in retired)
        {
            _linksByChildRun.Remove(link.ChildRunId);
            if (link.ChildSessionKey is { } key && _linksByChildSession.TryGetValue(key, out var bySession) && bySession == link)
            {
                _linksByChildSession.Remove(key);
            }
        }
    }

    /// <summary>
    /// Whether a turn is over. A turn ends with its last attempt (§4): a successful attempt once its <c>llm_output</c>
    /// arrived (and, for a sub-agent, its <c>subagent_ended</c>) or the settle window passed; a failed attempt once the
    /// retry window passed with no new attempt, or the attempt limit was reached (exhausted retries fire no terminal
    /// hook, §3). A turn whose last attempt never ended closes only at end of input or after the idle timeout, marked
    /// incomplete.
    /// </summary>
    private (bool Done, string? IncompleteReason) Evaluate(TurnState turn, bool endOfInput)
    {
        var last = turn.LastAttempt;
        if (last is { Ended: true })
        {
            var end = last.EndTime!.Value;
            if (Outcomes.OfAttempt(last) is not null)
            {
                var final = turn.Attempts.Count >= _options.MaxAttempts || endOfInput || _clock - end >= _options.RetryWindow;
                return (final, null);
            }

            var waitingOutput = last.Output is null;
            var waitingSubagentEnd = turn.Kind == TurnKind.Subagent && turn.Link is { EndedSeenAt: null };
            if ((!waitingOutput && !waitingSubagentEnd) || endOfInput)
            {
                return (true, null);
            }

            if (waitingSubagentEnd && _clock - end < _options.SubagentEndWindow)
            {
                return (false, null);
            }

            return (_clock - end >= _options.SettleWindow, null);
        }

        if (turn.Kind == TurnKind.Subagent && turn.Link is { EndedSeenAt: not null, Outcome: { } outcome } && outcome != "ok")
        {
            // OpenClaw ended the child (killed, timeout, error) before its attempt finished: no agent_end will come.
            return (true, "subagent_" + outcome);
        }

        if (endOfInput)
        {
            return (true, "end_of_input");
        }

        return _clock - turn.LastEventTime >= _options.IdleTimeout ? (true, "idle_timeout") : (false, null);
    }

    private void CheckCompletion(TurnState turn)
    {
        if (!turn.IsComplete)
        {
            var (done, reason) = Evaluate(turn, endOfInput: false);
            if (done)
            {
                CompleteTurn(turn, reason);
            }
        }
    }

    // ---------------------------------------------------------------- completion and emission order

    private void CompleteTurn(TurnState turn, string? incompleteReason)
    {
        turn.IsComplete = true;
        turn.IncompleteReason = incompleteReason;
        _turns.Remove(turn.RunId);
        if (turn.SessionKey is { } key && _sessions.TryGetValue(key, out var list))
        {
            list.Remove(turn);
            if (list.Count == 0)
            {
                _sessions.Remove(key);
            }
        }

        _exportedRuns.Add(turn.RunId, _clock);
        if (!turn.HasAgentActivity)
        {
            // Only before_agent_reply/before_model_resolve were seen (a reply claimed by a plugin, or a stream cut right
            // after them): nothing a trace could show.
            _stats.TurnsWithoutActivity++;
            ReleaseDependents(turn);
            return;
        }

        if (turn.Kind == TurnKind.Announce && turn.Link is null && turn.AnnouncedChildRunId is { } child
            && _linksByChildRun.TryGetValue(child, out var announceLink))
        {
            turn.Link = announceLink;
        }

        if (turn.Kind == TurnKind.Subagent && turn.Link is { } ownLink)
        {
            ownLink.ChildCompletedAt ??= _clock;
        }

        if (ParentHolding(turn) is { } parent)
        {
            (parent.WaitingDependents ??= new()).Add(turn);
            _waiting[turn.RunId] = turn;
            if (parent.HoldingForFamily)
            {
                ReleaseIfFamilyDone(parent);
            }

            return;
        }

        EmitOrHold(turn);
    }

    /// <summary>
    /// Emits a complete turn, unless sub-agent runs it spawned are still going: then it is held, and emitted (with them)
    /// once they and their announce runs are complete, so the trace reaches MLflow and the console tree whole.
    /// </summary>
    private void EmitOrHold(TurnState turn)
    {
        if (FamilyPending(turn))
        {
            turn.HoldingForFamily = true;
            _waiting[turn.RunId] = turn;
            return;
        }

        turn.HoldingForFamily = false;
        _waiting.Remove(turn.RunId);
        Emit(turn, forceRoot: false);
    }

    private void ReleaseIfFamilyDone(TurnState turn)
    {
        if (turn.HoldingForFamily && !FamilyPending(turn))
        {
            EmitOrHold(turn);
        }
    }

    /// <summary>
    /// Whether a run this turn spawned is still to come: the child run in flight (or spawned but not started), or its
    /// announce run in flight, or neither <c>subagent_ended</c> (which follows the announce run, §3) nor the sub-agent end
    /// window after the child's completion has come yet.
    /// </summary>
    private bool FamilyPending(TurnState turn)
    {
        if (turn.ChildLinks is not { } links || _draining)
        {
            return false;
        }

        foreach (var link in links)
        {
            if (link.ParentRunId != turn.RunId)
            {
                continue;
            }

            if (_turns.ContainsKey(link.ChildRunId))
            {
                return true;
            }

            if (link.ChildSessionKey is { } key && _turns.ContainsKey(AnnouncePrefix + key + ":" + link.ChildRunId))
            {
                return true;
            }

            if (link.EndedSeenAt is null)
            {
                var since = link.ChildCompletedAt ?? link.LastTouched;
                if (_clock - since < _options.SubagentEndWindow)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The parent run, when it is still in flight or itself waiting: then this run must wait for it.</summary>
    private TurnState? ParentHolding(TurnState turn)
    {
        if (turn.Link is not { ParentRunId: { } parentRunId, ParentEmitted: false } || parentRunId == turn.RunId)
        {
            return null;
        }

        if (_turns.TryGetValue(parentRunId, out var parent) || _waiting.TryGetValue(parentRunId, out parent))
        {
            return parent;
        }

        return null;
    }

    private void Emit(TurnState turn, bool forceRoot)
    {
        var placement = forceRoot ? default : Placement(turn);
        EmittedTurn emitted;
        try
        {
            emitted = _sink.Emit(turn, placement);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail-open: a turn the emitter chokes on is lost, the replay goes on.
            _stats.EmitFailures++;
            _stats.LastEmitFailure = ex.GetType().Name + ": " + ex.Message;
            emitted = default;
        }

        _stats.TurnsExported++;
        if (turn.IncompleteReason is not null)
        {
            _stats.TurnsIncomplete++;
        }

        if (emitted.Failed)
        {
            _stats.TurnsFailed++;
        }

        if (turn.Link is { } link)
        {
            if (turn.Kind == TurnKind.Subagent)
            {
                link.ChildEmitted = true;
            }
            else if (turn.Kind == TurnKind.Announce)
            {
                link.AnnounceEmitted = true;
            }

            link.LastTouched = _clock;
        }

        // Hand the span contexts to the links of the runs this turn spawned, so they nest even when they end later.
        if (turn.ChildLinks is { } childLinks)
        {
            foreach (var childLink in childLinks)
            {
                if (childLink.ParentRunId != turn.RunId)
                {
                    continue;
                }

                childLink.ParentEmitted = true;
                childLink.ParentOpenClawTraceId = turn.OpenClawTraceId;
                childLink.ParentRootContext = emitted.RootContext;
                childLink.ParentToolContext = childLink.ParentToolCallId is { } toolCallId && emitted.ToolContexts is { } tools
                    && tools.TryGetValue(toolCallId, out var toolContext)
                    ? toolContext
                    : default;
                childLink.LastTouched = _clock;
            }
        }

        ReleaseDependents(turn);
        try
        {
            _sink.Close(emitted);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _stats.EmitFailures++;
            _stats.LastEmitFailure = ex.GetType().Name + ": " + ex.Message;
        }
    }

    private void ReleaseDependents(TurnState turn)
    {
        if (turn.WaitingDependents is not { } dependents)
        {
            return;
        }

        turn.WaitingDependents = null;
        foreach (var dependent in dependents)
        {
            if (_waiting.ContainsKey(dependent.RunId))
            {
                EmitOrHold(dependent);
            }
        }
    }

    /// <summary>
    /// Where a run goes: a sub-agent child under its <c>sessions_spawn</c> TOOL span (else its parent's root), an
    /// announce run under its parent's root; both only when OpenClaw put them in the parent's trace (same
    /// <c>ctx.trace.traceId</c>, §0.7). Otherwise the run is the root of a trace of its own.
    /// </summary>
    private static TurnPlacement Placement(TurnState turn)
    {
        if (turn.Link is not { ParentEmitted: true } link || turn.Kind == TurnKind.User)
        {
            return default;
        }

        var sameTrace = turn.OpenClawTraceId is null || link.ParentOpenClawTraceId is null
            || string.Equals(turn.OpenClawTraceId, link.ParentOpenClawTraceId, StringComparison.OrdinalIgnoreCase);
        if (!sameTrace)
        {
            return new TurnPlacement(default, link.ParentRunId, SeparateTrace: true);
        }

        var parent = turn.Kind == TurnKind.Subagent && link.ParentToolContext != default ? link.ParentToolContext : link.ParentRootContext;
        return new TurnPlacement(parent, link.ParentRunId, SeparateTrace: false);
    }

    // ---------------------------------------------------------------- turns, sessions, attempts

    private TurnState? Turn(string? runId, HookEvent hookEvent, bool mayCreate = true)
    {
        if (runId is null)
        {
            _stats.UnattributedEvents++;
            return null;
        }

        if (!_turns.TryGetValue(runId, out var turn))
        {
            if (_exportedRuns.Contains(runId) || _waiting.ContainsKey(runId))
            {
                _stats.LateEvents++;
                return null;
            }

            if (!mayCreate)
            {
                _stats.UnattributedEvents++;
                return null;
            }

            turn = new TurnState(runId, hookEvent.Time);
            _turns.Add(runId, turn);
            if (runId.StartsWith(AnnouncePrefix, StringComparison.Ordinal))
            {
                // announce:v1:<childSessionKey>:<childRunId> (§0.7); the session key itself contains colons.
                turn.Kind = TurnKind.Announce;
                var rest = runId.AsSpan(AnnouncePrefix.Length);
                var lastColon = rest.LastIndexOf(':');
                if (lastColon > 0)
                {
                    turn.AnnouncedChildRunId = rest[(lastColon + 1)..].ToString();
                    if (_linksByChildRun.TryGetValue(turn.AnnouncedChildRunId, out var link))
                    {
                        turn.Link = link;
                        link.LastTouched = hookEvent.Time;
                    }
                }
            }
            else if (_linksByChildRun.TryGetValue(runId, out var link))
            {
                turn.Kind = TurnKind.Subagent;
                turn.Link = link;
            }
        }

        Touch(turn, hookEvent);
        return turn;
    }

    private void Touch(TurnState turn, HookEvent hookEvent)
    {
        if (hookEvent.Time > turn.LastEventTime)
        {
            turn.LastEventTime = hookEvent.Time;
        }

        if (hookEvent.Time < turn.FirstEventTime)
        {
            turn.FirstEventTime = hookEvent.Time;
        }

        var ctx = hookEvent.Context;
        turn.SessionId ??= ctx.SessionId;
        turn.AgentId ??= ctx.AgentId;
        turn.Trigger ??= ctx.Trigger;
        turn.Channel ??= ctx.Channel;
        turn.OpenClawTraceId ??= ctx.TraceId;
        if (turn.SessionKey is null && ctx.SessionKey is { } key)
        {
            turn.SessionKey = key;
            if (!_sessions.TryGetValue(key, out var list))
            {
                list = new List<TurnState>(1);
                _sessions.Add(key, list);
            }

            list.Add(turn);
        }
    }

    /// <summary>
    /// The attempt an agent-context hook belongs to. Attempts are told apart by the agent-context
    /// <c>ctx.trace.spanId</c> (a new one per attempt, §4); without trace context, a hook that opens attempts after
    /// <c>agent_end</c> starts the next one.
    /// </summary>
    private static AttemptState AttemptForAgentHook(TurnState turn, HookEvent hookEvent, bool opensAttempt)
    {
        var spanId = hookEvent.Context.SpanId;
        var last = turn.LastAttempt;
        if (spanId is not null)
        {
            for (var i = turn.Attempts.Count - 1; i >= 0; i--)
            {
                if (turn.Attempts[i].AgentSpanId == spanId)
                {
                    return turn.Attempts[i];
                }
            }
        }

        if (last is not null && !last.Ended && (last.AgentSpanId is null || spanId is null))
        {
            last.AgentSpanId ??= spanId;
            last.AgentParentSpanId ??= hookEvent.Context.ParentSpanId;
            return last;
        }

        if (!opensAttempt && last is not null)
        {
            return last;
        }

        return NewAttempt(turn, hookEvent.Time, spanId, hookEvent.Context.ParentSpanId);
    }

    /// <summary>The attempt a starting call (model or tool) belongs to: the open one, else a new one whose opening hooks
    /// were not seen.</summary>
    private static AttemptState AttemptForStart(TurnState turn, HookEvent hookEvent)
    {
        var last = turn.LastAttempt;
        return last is { Ended: false } ? last : NewAttempt(turn, hookEvent.Time, null, null);
    }

    /// <summary>The attempt an ending record with no start belongs to: the open one, else the last.</summary>
    private static AttemptState AttemptForEnd(TurnState turn, HookEvent hookEvent) =>
        turn.LastAttempt ?? NewAttempt(turn, hookEvent.Time, null, null);

    private static AttemptState NewAttempt(TurnState turn, DateTimeOffset start, string? spanId, string? parentSpanId)
    {
        var attempt = new AttemptState(turn.Attempts.Count + 1, start, spanId) { AgentParentSpanId = parentSpanId };
        turn.Attempts.Add(attempt);
        return attempt;
    }

    // ---------------------------------------------------------------- agent hooks

    private void OnRunPhase(RunPhaseEvent phase)
    {
        if (Turn(phase.Context.RunId, phase, mayCreate: phase.Phase != RunPhase.BeforeAgentFinalize) is not { } turn)
        {
            return;
        }

        switch (phase.Phase)
        {
            case RunPhase.BeforeAgentReply:
            case RunPhase.BeforeModelResolve:
                turn.StartObserved = true;
                if (phase.Phase == RunPhase.BeforeAgentReply || turn.UserText is null)
                {
                    turn.UserText = phase.UserText ?? turn.UserText;
                }

                break;
            default:
                if (phase.IsAttemptScoped)
                {
                    var attempt = AttemptForAgentHook(turn, phase, opensAttempt: true);
                    if (phase.Time < attempt.StartTime)
                    {
                        attempt.StartTime = phase.Time;
                    }
                }

                break;
        }

        CheckCompletion(turn);
    }

    private void OnLlmInput(LlmInputEvent input)
    {
        if (Turn(input.Context.RunId, input) is not { } turn)
        {
            return;
        }

        var attempt = AttemptForAgentHook(turn, input, opensAttempt: true);
        attempt.Input ??= input;
        if (input.ToolDescriptions is not null)
        {
            turn.ToolDescriptions = input.ToolDescriptions;
        }

        CheckCompletion(turn);
    }

    private void OnAgentEnd(AgentEndEvent end)
    {
        if (Turn(end.Context.RunId, end) is not { } turn)
        {
            return;
        }

        AttemptState? attempt = null;
        if (end.Context.SpanId is { } spanId)
        {
            attempt = turn.Attempts.Find(a => a.AgentSpanId == spanId);
        }

        attempt ??= turn.LastAttempt is { Ended: false } open ? open : null;
        if (attempt is null)
        {
            // The attempt's opening hooks were not seen: its start is agent_end minus its duration.
            var start = end.DurationMs is { } ms ? end.Time - TimeSpan.FromMilliseconds(ms) : end.Time;
            attempt = NewAttempt(turn, start, end.Context.SpanId, end.Context.ParentSpanId);
        }

        attempt.End ??= end;
        CheckCompletion(turn);
    }

    private void OnLlmOutput(LlmOutputEvent output)
    {
        // llm_output cannot begin a turn: it comes last (§5.3), so one for an unknown run is a stream cut mid-turn.
        if (Turn(output.Context.RunId, output, mayCreate: false) is not { } turn)
        {
            return;
        }

        AttemptState? attempt = null;
        if (output.Context.SpanId is { } spanId)
        {
            attempt = turn.Attempts.Find(a => a.AgentSpanId == spanId);
        }

        attempt ??= turn.Attempts.FindLast(a => a.Ended && a.Output is null) ?? turn.LastAttempt;
        if (attempt is not null)
        {
            attempt.Output ??= output;
        }

        turn.ResolvedModelRef ??= output.ResolvedRef;
        CheckCompletion(turn);
    }

    // ---------------------------------------------------------------- model calls and messages

    /// <summary>
    /// Pairs <c>model_call_started</c>/<c>model_call_ended</c> by OpenClaw's per-call <c>ctx.trace.spanId</c>, else
    /// first-in-first-out per <c>(runId, callId)</c> (§0.4: the call id restarts per attempt, so it repeats on a retry),
    /// looking in the latest attempt first. An end that arrives before its start (the hooks are fire-and-forget, §1)
    /// makes the call from the end alone; the start, when it comes, joins it.
    /// </summary>
    private void OnModelCall(ModelCallEvent record)
    {
        if (Turn(record.RunId, record) is not { } turn)
        {
            return;
        }

        var spanId = record.Context.SpanId;
        ModelCallState? call = null;
        if (spanId is not null && turn.CallsBySpanId is { } bySpan)
        {
            bySpan.TryGetValue(spanId, out call);
        }

        if (call is null && spanId is null)
        {
            call = record.IsEnd ? FindOpenCall(turn, record.CallId, needStart: true) : FindOpenCall(turn, record.CallId, needStart: false);
        }

        if (call is null)
        {
            var attempt = record.IsEnd ? AttemptForEnd(turn, record) : AttemptForStart(turn, record);
            call = new ModelCallState(attempt) { SpanId = spanId, ParentSpanId = record.Context.ParentSpanId };
            attempt.Calls.Add(call);
            if (spanId is not null)
            {
                (turn.CallsBySpanId ??= new(StringComparer.Ordinal))[spanId] = call;
            }
        }

        if (record.IsEnd)
        {
            call.Ended ??= record;
        }
        else
        {
            call.Started ??= record;
        }

        if (call.StartTime is { } start && !call.IsCompaction
            && (call.Attempt.FirstCallStart is not { } first || start < first))
        {
            call.Attempt.FirstCallStart = start;
        }

        ClaimUnpairedMessages(turn, call);
        CheckCompletion(turn);
    }

    private static ModelCallState? FindOpenCall(TurnState turn, string? callId, bool needStart)
    {
        for (var a = turn.Attempts.Count - 1; a >= 0; a--)
        {
            foreach (var candidate in turn.Attempts[a].Calls)
            {
                if (candidate.SpanId is null && string.Equals(candidate.CallId, callId, StringComparison.Ordinal)
                    && (needStart ? candidate.Started is not null && candidate.Ended is null : candidate.Started is null && candidate.Ended is not null))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A transcript message (ctx: session key only). An assistant message is paired with a model call of the session's
    /// runs in flight: the call whose start is nearest the message's <c>timestamp</c> (OpenClaw stamps it with the call's
    /// start, §0.5; within <see cref="OpenClawReplayOptions.MessageMatchTolerance"/>), else, with no timestamp, the most
    /// recently ended call of the session without a message (the "immediately preceding model_call_ended" rule, §4).
    /// Compaction calls never get one (§5.7). A message with no call yet waits, unpaired, for a call to claim it.
    /// </summary>
    private void OnMessageWrite(MessageWriteEvent write)
    {
        if (write.Context.SessionKey is not { } key || !_sessions.TryGetValue(key, out var turns) || turns.Count == 0)
        {
            if (write.Message.Role == "user")
            {
                // The gateway writes the user's message before the run's first hook (§3): llm_input carries it.
                _stats.IgnoredEvents++;
            }
            else
            {
                _stats.UnattributedEvents++;
            }

            return;
        }

        var message = write.Message;
        var entry = new TranscriptEntry(message, write.Time);
        TurnState? turn = null;
        AttemptState? attempt = null;
        switch (message.Role)
        {
            case "assistant":
                if (BestCallFor(turns, message) is { } call)
                {
                    entry.Call = call;
                    call.Message = entry;
                    attempt = call.Attempt;
                    turn = FindOwner(turns, call.Attempt);
                }

                break;
            case "toolResult":
                if (message.ToolCallId is { } toolCallId)
                {
                    foreach (var candidate in turns)
                    {
                        if (candidate.ToolsById.TryGetValue(toolCallId, out var tool))
                        {
                            turn = candidate;
                            attempt = tool.Attempt;
                            break;
                        }
                    }
                }

                break;
        }

        turn ??= MostRecent(turns);
        if (attempt is null)
        {
            if (turn.LastAttempt is not { } last || (message.Role is "user" && last.Ended))
            {
                // A user message before the attempt began is the prompt, which llm_input carries.
                Touch(turn, write);
                return;
            }

            attempt = last;
        }

        attempt.Transcript.Add(entry);
        if (message.Role == "assistant" && entry.Call is null)
        {
            turn.UnpairedAssistantMessages++;
        }

        Touch(turn, write);
        CheckCompletion(turn);
    }

    private ModelCallState? BestCallFor(List<TurnState> turns, TranscriptMessage message)
    {
        ModelCallState? best = null;
        var bestDelta = TimeSpan.MaxValue;
        ModelCallState? latestEnded = null;
        foreach (var turn in turns)
        {
            foreach (var attempt in turn.Attempts)
            {
                foreach (var call in attempt.Calls)
                {
                    if (call.Message is not null || call.IsCompaction)
                    {
                        continue;
                    }

                    if (message.Timestamp is { } stamp)
                    {
                        if (call.StartTime is { } start)
                        {
                            var delta = (start - stamp).Duration();
                            if (delta <= _options.MessageMatchTolerance && delta < bestDelta)
                            {
                                best = call;
                                bestDelta = delta;
                            }
                        }
                    }
                    else if (call.Ended is not null
                        && (latestEnded is null || call.Ended.Time > latestEnded.Ended!.Time))
                    {
                        latestEnded = call;
                    }
                }
            }
        }

        return best ?? latestEnded;
    }

    /// <summary>A call that appeared after its assistant message (reordered hooks) claims it by timestamp.</summary>
    private void ClaimUnpairedMessages(TurnState turn, ModelCallState call)
    {
        if (turn.UnpairedAssistantMessages == 0 || call.Message is not null || call.IsCompaction || call.StartTime is not { } start)
        {
            return;
        }

        foreach (var attempt in turn.Attempts)
        {
            foreach (var entry in attempt.Transcript)
            {
                if (entry.Call is null && entry.Message.Role == "assistant" && entry.Message.Timestamp is { } stamp
                    && (start - stamp).Duration() <= _options.MessageMatchTolerance)
                {
                    entry.Call = call;
                    call.Message = entry;
                    turn.UnpairedAssistantMessages--;
                    if (attempt != call.Attempt)
                    {
                        attempt.Transcript.Remove(entry);
                        call.Attempt.Transcript.Add(entry);
                        call.Attempt.Transcript.Sort(static (x, y) => x.WriteTime.CompareTo(y.WriteTime));
                    }

                    return;
                }
            }
        }
    }

    private static TurnState FindOwner(List<TurnState> turns, AttemptState attempt)
    {
        foreach (var turn in turns)
        {
            if (turn.Attempts.Contains(attempt))
            {
                return turn;
            }
        }

        return MostRecent(turns);
    }

    private static TurnState MostRecent(List<TurnState> turns)
    {
        var best = turns[0];
        for (var i = 1; i < turns.Count; i++)
        {
            if (turns[i].LastEventTime >= best.LastEventTime)
            {
                best = turns[i];
            }
        }

        return best;
    }

    // ---------------------------------------------------------------- tools

    /// <summary>Tool triplets keyed <c>(runId, toolCallId)</c> (§0.6: parallel calls interleave, ids are only unique
    /// within a session).</summary>
    private void OnToolCall(ToolCallEvent record)
    {
        if (Turn(record.RunId, record) is not { } turn)
        {
            return;
        }

        var id = record.ToolCallId ?? SyntheticToolCallId(turn, record);
        if (!turn.ToolsById.TryGetValue(id, out var tool))
        {
            var attempt = record.IsEnd ? AttemptForEnd(turn, record) : AttemptForStart(turn, record);
            tool = new ToolCallState(id, record.ToolName, attempt);
            turn.ToolsById.Add(id, tool);
            attempt.Tools.Add(tool);
        }

        if (record.IsEnd)
        {
            tool.After ??= record;
            if (record.ToolName == SpawnToolName && record.Error is null && record.SpawnedRunId is { } childRunId)
            {
                ConfirmSpawn(turn, tool, childRunId, record.SpawnedSessionKey, record.Time);
            }
        }
        else
        {
            tool.Before ??= record;
        }

        CheckCompletion(turn);
    }

    private static string SyntheticToolCallId(TurnState turn, ToolCallEvent record)
    {
        // No toolCallId: pair before/after first-in-first-out by tool name.
        if (record.IsEnd)
        {
            foreach (var tool in turn.ToolsById.Values)
            {
                if (tool.ToolName == record.ToolName && tool.After is null && tool.ToolCallId.StartsWith("?", StringComparison.Ordinal))
                {
                    return tool.ToolCallId;
                }
            }
        }

        return "?" + record.ToolName + "#" + turn.ToolsById.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private void OnToolResultPersist(ToolResultPersistEvent persisted)
    {
        if (persisted.ToolCallId is { } toolCallId && persisted.Context.SessionKey is { } key && _sessions.TryGetValue(key, out var turns))
        {
            foreach (var turn in turns)
            {
                if (turn.ToolsById.TryGetValue(toolCallId, out var tool))
                {
                    tool.Persisted ??= persisted;
                    Touch(turn, persisted);
                    return;
                }
            }
        }

        _stats.UnattributedEvents++;
    }

    // ---------------------------------------------------------------- sub-agents

    private void OnSubagent(SubagentEvent record)
    {
        switch (record.Kind)
        {
            case SubagentHook.Spawned:
            case SubagentHook.Progress when record.Phase != "ended":
                if (record.ChildRunId is not { } childRunId)
                {
                    _stats.UnattributedEvents++;
                    return;
                }

                var link = Link(childRunId, record.Time);
                link.ChildSessionKey ??= record.ChildSessionKey;
                link.RequesterSessionKey ??= record.RequesterSessionKey;
                link.Label ??= record.Label;
                link.Mode ??= record.Mode;
                link.AgentId ??= record.AgentId;
                if (link.ChildSessionKey is { } childKey)
                {
                    _linksByChildSession[childKey] = link;
                }

                if (link.ParentRunId is null)
                {
                    GuessParent(link);
                }

                if (_turns.TryGetValue(childRunId, out var child) && child.Kind == TurnKind.User)
                {
                    child.Kind = TurnKind.Subagent;
                    child.Link = link;
                }

                break;
            case SubagentHook.Progress:
                if (FindLink(record) is { } progressed)
                {
                    progressed.Outcome ??= record.Outcome;
                    progressed.LastTouched = record.Time;
                }

                break;
            case SubagentHook.Ended:
                if (FindLink(record) is not { } ended)
                {
                    // Keys never spawned: /reset echoes subagent_ended for the session itself (targetKind "acp", §5.11).
                    _stats.SubagentEndedIgnored++;
                    return;
                }

                ended.Outcome = record.Outcome ?? ended.Outcome;
                ended.EndReason = record.Reason;
                ended.EndError = record.Error;
                ended.EndedAt = record.EndedAt;
                ended.EndedSeenAt = record.Time;
                ended.LastTouched = record.Time;
                if (_turns.TryGetValue(ended.ChildRunId, out var endedChild))
                {
                    CheckCompletion(endedChild);
                }

                if (ended.ParentRunId is { } heldParentId && _waiting.TryGetValue(heldParentId, out var heldParent))
                {
                    ReleaseIfFamilyDone(heldParent);
                }

                break;
        }
    }

    private SubagentLink? FindLink(SubagentEvent record)
    {
        if (record.ChildRunId is { } runId && _linksByChildRun.TryGetValue(runId, out var byRun))
        {
            return byRun;
        }

        return record.ChildSessionKey is { } key && _linksByChildSession.TryGetValue(key, out var bySession) ? bySession : null;
    }

    private SubagentLink Link(string childRunId, DateTimeOffset time)
    {
        if (!_linksByChildRun.TryGetValue(childRunId, out var link))
        {
            link = new SubagentLink(childRunId, time);
            _linksByChildRun.Add(childRunId, link);
        }

        link.LastTouched = time;
        return link;
    }

    /// <summary>
    /// <c>subagent_spawned</c> fires while the parent's <c>sessions_spawn</c> call is open (§3), in the requester's
    /// session: the oldest open, unclaimed spawn call there is the parent. The <c>sessions_spawn</c> result, which names
    /// the child run, confirms or corrects this (<see cref="ConfirmSpawn"/>).
    /// </summary>
    private void GuessParent(SubagentLink link)
    {
        if (link.RequesterSessionKey is not { } requester || !_sessions.TryGetValue(requester, out var turns) || turns.Count == 0)
        {
            return;
        }

        TurnState? parent = null;
        ToolCallState? spawnCall = null;
        foreach (var turn in turns)
        {
            foreach (var tool in turn.ToolsById.Values)
            {
                if (tool.ToolName == SpawnToolName && tool.After is null && tool.SpawnedRunId is null
                    && (spawnCall is null || (tool.Before?.Time ?? DateTimeOffset.MaxValue) < (spawnCall.Before?.Time ?? DateTimeOffset.MaxValue)))
                {
                    spawnCall = tool;
                    parent = turn;
                }
            }
        }

        parent ??= MostRecent(turns);
        if (parent.RunId == link.ChildRunId)
        {
            return;
        }

        AttachLink(parent, link, spawnCall);
    }

    private void ConfirmSpawn(TurnState parent, ToolCallState tool, string childRunId, string? childSessionKey, DateTimeOffset time)
    {
        var link = Link(childRunId, time);
        link.ChildSessionKey ??= childSessionKey;
        if (link.ChildSessionKey is { } key)
        {
            _linksByChildSession[key] = link;
        }

        if (link.ParentToolCallId is { } previous && previous != tool.ToolCallId && link.ParentRunId is { } previousRun
            && _turns.TryGetValue(previousRun, out var previousParent) && previousParent.ToolsById.TryGetValue(previous, out var wrongTool)
            && wrongTool.SpawnedRunId == childRunId)
        {
            wrongTool.SpawnedRunId = null;
        }

        AttachLink(parent, link, tool);
        link.ToolConfirmed = true;
        if (_turns.TryGetValue(childRunId, out var child) && child.Kind == TurnKind.User)
        {
            child.Kind = TurnKind.Subagent;
            child.Link = link;
        }
    }

    private static void AttachLink(TurnState parent, SubagentLink link, ToolCallState? tool)
    {
        link.ParentRunId = parent.RunId;
        link.ParentToolCallId = tool?.ToolCallId;
        if (tool is not null)
        {
            tool.SpawnedRunId = link.ChildRunId;
        }

        parent.ChildLinks ??= new();
        if (!parent.ChildLinks.Contains(link))
        {
            parent.ChildLinks.Add(link);
        }
    }

    // ---------------------------------------------------------------- provider_call records

    /// <summary>
    /// Collects the phases of each provider invocation under its run (by <c>runId</c>, else the session's run in flight).
    /// Which model call it belongs to is decided at emission, when every record of the turn is known.
    /// </summary>
    private void OnProviderCall(ProviderCallEvent record)
    {
        TurnState? turn;
        if (record.RunId is not null)
        {
            turn = Turn(record.RunId, record);
        }
        else if (record.SessionKey is { } key && _sessions.TryGetValue(key, out var turns) && turns.Count > 0)
        {
            turn = MostRecent(turns);
            Touch(turn, record);
        }
        else
        {
            _stats.UnattributedEvents++;
            return;
        }

        if (turn is null)
        {
            return;
        }

        turn.ProviderCallsById ??= new(StringComparer.Ordinal);
        if (!turn.ProviderCallsById.TryGetValue(record.CallId, out var invocation))
        {
            invocation = new ProviderInvocation(record.CallId);
            turn.ProviderCallsById.Add(record.CallId, invocation);
        }

        switch (record.Phase)
        {
            case ProviderCallPhase.Before:
                invocation.Before ??= record;
                break;
            case ProviderCallPhase.Chunk:
                invocation.FirstChunk ??= record;
                break;
            case ProviderCallPhase.After:
                invocation.After ??= record;
                break;
            case ProviderCallPhase.Error:
                invocation.Error ??= record;
                break;
        }

        CheckCompletion(turn);
    }
}
