// Sub-agent links (docs/openclaw-hooks.md §4, row "AGENT (sub-agent)"; §0.7): the child run id is
// subagent_spawned.runId, the parent is found through ctx.requesterSessionKey and confirmed by the sessions_spawn
// result (after_tool_call.result.details.{runId, childSessionKey}); subagent_ended for keys never spawned is ignored
// (§5.11). A link outlives the parent's export, bounded by the link retention; what changes in it after a turn holding
// it was handed over goes downstream as a new snapshot (PassOnChange).

using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
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

                PassOnChange(link);
                break;
            case SubagentHook.Progress:
                if (FindLink(record) is { } progressed)
                {
                    progressed.Outcome ??= record.Outcome;
                    progressed.LastTouched = record.Time;
                    PassOnChange(progressed);
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

                // Before the child may complete below: the turns already handed over (the parent, or the child itself
                // when it completed first) get the outcome now, and a child completing now is frozen with it.
                PassOnChange(ended);
                if (_turns.TryGetValue(ended.ChildRunId, out var endedChild))
                {
                    CheckCompletion(endedChild);
                }

                if (ended.ParentRunId is { } heldParentId)
                {
                    _sink.Reconsider(heldParentId);
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

        TurnBuilder? parent = null;
        ToolCallBuilder? spawnCall = null;
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

    private void ConfirmSpawn(TurnBuilder parent, ToolCallBuilder tool, string childRunId, string? childSessionKey, DateTimeOffset time)
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
        if (_turns.TryGetValue(childRunId, out var child) && child.Kind == TurnKind.User)
        {
            child.Kind = TurnKind.Subagent;
            child.Link = link;
        }

        PassOnChange(link);
    }

    /// <summary>
    /// A link changed: when a turn holding it was already handed over (the child completed before its
    /// <c>subagent_ended</c>, say), its new state goes downstream as a snapshot of its own, since the completed turn
    /// does not change. Called after every change to what a snapshot holds, so downstream always has the latest.
    /// </summary>
    private void PassOnChange(SubagentLink link)
    {
        if (link.HandedOver is not { } handedOver)
        {
            return;
        }

        var now = link.Snapshot();
        if (now != handedOver)
        {
            link.HandedOver = now;
            _sink.LinkChanged(now);
        }
    }

    private static void AttachLink(TurnBuilder parent, SubagentLink link, ToolCallBuilder? tool)
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

    private void RetireLinks()
    {
        if (_linksByChildRun.Count == 0)
        {
            return;
        }

        List<SubagentLink>? retired = null;
        foreach (var link in _linksByChildRun.Values)
        {
            var childInFlight = _turns.ContainsKey(link.ChildRunId) || _awaitingExport.ContainsKey(link.ChildRunId);
            var settled = link.ChildExported
                && (link.AnnounceExported || (link.EndedSeenAt is { } seen && _clock - seen >= _options.LinkRetention));
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
}
