// Finding a hook's turn (docs/openclaw-hooks.md §4, rows "AGENT (root, per turn)", "Session" and "announce turn"): a
// turn is keyed by ctx.runId, one per user turn and stable across retries; the hooks that carry only the session key
// (before_message_write, tool_result_persist, §2.1) find it among the session's runs in flight; a run id
// "announce:v1:<childSessionKey>:<childRunId>" makes an announce turn; events of a run already exported are late.

using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
    private TurnBuilder? Turn(string? runId, HookEvent hookEvent, bool mayCreate = true)
    {
        if (runId is null)
        {
            _stats.UnattributedEvents++;
            return null;
        }

        if (!_turns.TryGetValue(runId, out var turn))
        {
            if (_exportedRuns.Contains(runId) || _awaitingExport.ContainsKey(runId))
            {
                _stats.LateEvents++;
                return null;
            }

            if (!mayCreate)
            {
                _stats.UnattributedEvents++;
                return null;
            }

            turn = new TurnBuilder(runId, hookEvent.Time);
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

    private void Touch(TurnBuilder turn, HookEvent hookEvent)
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
                list = new List<TurnBuilder>(1);
                _sessions.Add(key, list);
            }

            list.Add(turn);
        }
    }

    private static TurnBuilder MostRecent(List<TurnBuilder> turns)
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
}
