// Transcript messages (docs/openclaw-hooks.md §4, row "LLM output/usage"): an assistant before_message_write carries
// the call's usage and output but only the session key, so it is paired with a model call of the session's runs in
// flight by its timestamp (the call's start, §0.5), else with the immediately preceding model_call_ended. Tool
// results and injected user messages join the attempt's transcript (row "TOOL": by toolCallId).

using System;
using System.Collections.Generic;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

internal sealed partial class TurnCorrelator
{
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
        var entry = new TranscriptEntryBuilder(message, write.Time);
        TurnBuilder? turn = null;
        AttemptBuilder? attempt = null;
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

    private ModelCallBuilder? BestCallFor(List<TurnBuilder> turns, TranscriptMessage message)
    {
        ModelCallBuilder? best = null;
        var bestDelta = TimeSpan.MaxValue;
        ModelCallBuilder? latestEnded = null;
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
    private void ClaimUnpairedMessages(TurnBuilder turn, ModelCallBuilder call)
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

    private static TurnBuilder FindOwner(List<TurnBuilder> turns, AttemptBuilder attempt)
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
}
