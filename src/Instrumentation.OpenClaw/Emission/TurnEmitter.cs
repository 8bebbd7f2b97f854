using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text.Json;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.OpenClaw.Emission;

/// <summary>
/// Emits a complete turn as spans through the runtime's span types, with the timestamps the hooks recorded: one AGENT
/// span for the run, a CHAIN span per attempt when there was more than one, an LLM span per provider call and a TOOL
/// span per tool call. Spans are started and ended here in one go, so they never become <see cref="Activity.Current"/>.
/// </summary>
internal sealed class TurnEmitter : ITurnSink
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    private readonly ReplayStatistics _stats;

    public TurnEmitter(ReplayStatistics stats)
    {
        _stats = stats;
    }

    public EmittedTurn Emit(TurnState turn, TurnPlacement placement)
    {
        ProviderCallLinker.Link(turn);
        var incomplete = turn.IncompleteReason;
        var timing = SpanTiming.OfTurn(turn);

        var parent = placement.Parent != default ? placement.Parent : LiveSpan.RootOfTrace(ActivityTraceId.CreateRandom());
        var agentId = turn.AgentId ?? turn.Link?.AgentId;
        var root = AgentSpan.Start(RootName(turn), agentName: agentId, agentId: agentId, sessionId: turn.SessionKey,
            startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (root.Activity is null)
        {
            // Not sampled (or nothing listens): like a parent-based sampler, record none of the turn.
            root.End(timing.End);
            return default;
        }

        DescribeRoot(root, turn, placement);
        SetTiming(root, timing);
        if (incomplete is not null)
        {
            MarkIncomplete(root, incomplete);
        }

        var rootContext = root.Activity.Context;
        Dictionary<string, ActivityContext>? toolContexts = null;
        var multiAttempt = turn.Attempts.Count > 1;
        foreach (var attempt in turn.Attempts)
        {
            var isLast = attempt == turn.LastAttempt;
            var attemptContext = rootContext;
            LiveSpan chain = default;
            var attemptTiming = SpanTiming.OfAttempt(attempt, isLast ? timing.End : null);
            if (multiAttempt)
            {
                chain = LiveSpan.Start("attempt " + attempt.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MlflowSpanTypes.Chain, ActivityKind.Internal, attemptTiming.Start, rootContext);
                _stats.SpansExported++;
                chain.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
                chain.SetAttribute(OpenClawAttributes.SpanId, attempt.AgentSpanId);
                chain.SetAttribute(OpenClawAttributes.AttemptAgentEndSuccess, attempt.End?.Success);
                SetTiming(chain, attemptTiming);
                if (attemptTiming.EndUnknown)
                {
                    MarkIncomplete(chain, incomplete ?? "attempt_end_not_observed");
                }

                if (chain.Activity is { } chainActivity)
                {
                    attemptContext = chainActivity.Context;
                }
            }

            var fallbackEnd = attemptTiming.End;
            foreach (var call in attempt.Calls)
            {
                EmitCalls(turn, attempt, call, attemptContext, fallbackEnd, incomplete);
            }

            foreach (var entry in attempt.Transcript)
            {
                if (entry.Call is null && entry.Message.Role == "assistant")
                {
                    EmitTranscriptOnlyCall(attempt, entry, attemptContext);
                }
            }

            if (turn.ProviderCallsById is { } invocations)
            {
                foreach (var invocation in invocations.Values)
                {
                    if (invocation.Call is null && ProviderCallLinker.AttemptOf(turn, invocation) == attempt)
                    {
                        EmitInvocation(turn, attempt, null, invocation, single: false, attemptContext, fallbackEnd, incomplete);
                    }
                }
            }

            foreach (var tool in attempt.Tools)
            {
                var context = EmitTool(turn, attempt, tool, attemptContext, fallbackEnd, incomplete);
                if (tool.SpawnedRunId is not null && context != default)
                {
                    (toolContexts ??= new(StringComparer.Ordinal))[tool.ToolCallId] = context;
                }
            }

            if (multiAttempt)
            {
                if (Outcomes.OfAttempt(attempt) is { } attemptFailure)
                {
                    chain.SetError(attemptFailure.ErrorType, attemptFailure.Message);
                }

                End(chain, attemptTiming);
            }
        }

        var failed = false;
        if (turn.LastAttempt is { Ended: true } last && Outcomes.OfAttempt(last) is { } failure)
        {
            // The turn's outcome is its last attempt's: an error there (retries exhausted, or no retry came) fails the
            // turn even though agent_end said success (§5.5).
            root.SetError(failure.ErrorType, failure.Message);
            failed = true;
        }
        else if (turn.Kind == TurnKind.Subagent && turn.Link is { Outcome: { } outcome } link && outcome is not ("ok" or "reset"))
        {
            root.SetError("subagent_" + outcome, link.EndError ?? link.EndReason ?? "sub-agent ended: " + outcome);
            failed = true;
        }

        return new EmittedTurn(rootContext, toolContexts, failed, root, timing.Start, timing.End);
    }

    public void Close(in EmittedTurn emitted) => End(emitted.Root, emitted.RootStart, emitted.RootEnd);

    // ---------------------------------------------------------------- root

    private static string RootName(TurnState turn) => turn.Kind switch
    {
        TurnKind.Subagent => turn.Link?.Label ?? turn.AgentId ?? "subagent",
        TurnKind.Announce => "announce",
        _ => turn.AgentId ?? "openclaw",
    };

    private static void DescribeRoot(LiveSpan root, TurnState turn, TurnPlacement placement)
    {
        root.SetAttribute(OpenClawAttributes.RunId, turn.RunId);
        root.SetAttribute(OpenClawAttributes.SessionId, turn.SessionId);
        root.SetAttribute(OpenClawAttributes.TraceId, turn.OpenClawTraceId);
        root.SetAttribute(OpenClawAttributes.SpanId, turn.Attempts.Count > 0 ? turn.Attempts[0].AgentSpanId : null);
        root.SetAttribute(OpenClawAttributes.Trigger, turn.Trigger);
        root.SetAttribute(OpenClawAttributes.Channel, turn.Channel);
        root.SetAttribute(OpenClawAttributes.ModelRef, turn.ResolvedModelRef ?? LastOutput(turn)?.ResolvedRef);
        root.SetAttribute(OpenClawAttributes.TurnKind, turn.Kind switch
        {
            TurnKind.Subagent => "subagent",
            TurnKind.Announce => "announce",
            _ => "user",
        });
        root.SetAttribute(OpenClawAttributes.TurnAttempts, turn.Attempts.Count);
        if (turn.Link is { } link && turn.Kind != TurnKind.User)
        {
            root.SetAttribute(OpenClawAttributes.ParentRunId, link.ParentRunId ?? placement.ParentRunId);
            if (turn.Kind == TurnKind.Subagent)
            {
                root.SetAttribute(OpenClawAttributes.SubagentLabel, link.Label);
                root.SetAttribute(OpenClawAttributes.SubagentMode, link.Mode);
                root.SetAttribute(OpenClawAttributes.SubagentOutcome, link.Outcome);
                root.SetAttribute(OpenClawAttributes.SubagentEndReason, link.EndReason);
                root.SetAttribute(OpenClawAttributes.SubagentChildSessionKey, link.ChildSessionKey);
            }
        }

        if (turn.Kind == TurnKind.Announce)
        {
            root.SetAttribute(OpenClawAttributes.AnnounceChildRunId, turn.AnnouncedChildRunId);
        }

        if (placement.SeparateTrace)
        {
            root.SetAttribute(OpenClawAttributes.SubagentSeparateTrace, true);
        }

        if (!root.CapturesContent)
        {
            return;
        }

        var userText = turn.UserText ?? FirstInput(turn)?.Prompt;
        if (userText is not null)
        {
            root.SetInputsJson(ChatShapes.UserMessages(userText));
        }

        if (FinalAnswer(turn) is { } answer)
        {
            root.SetOutputJson(ChatShapes.AssistantChoice(answer));
        }
    }

    private static LlmInputEvent? FirstInput(TurnState turn)
    {
        foreach (var attempt in turn.Attempts)
        {
            if (attempt.Input is not null)
            {
                return attempt.Input;
            }
        }

        return null;
    }

    private static LlmOutputEvent? LastOutput(TurnState turn)
    {
        for (var i = turn.Attempts.Count - 1; i >= 0; i--)
        {
            if (turn.Attempts[i].Output is { } output)
            {
                return output;
            }
        }

        return null;
    }

    /// <summary>The turn's answer: the last assistant text of the last attempt (else <c>llm_output.assistantTexts</c>).</summary>
    private static string? FinalAnswer(TurnState turn)
    {
        if (turn.LastAttempt is not { } last)
        {
            return null;
        }

        for (var i = last.Transcript.Count - 1; i >= 0; i--)
        {
            if (last.Transcript[i].Message is { Role: "assistant", Text: { Length: > 0 } text })
            {
                return text;
            }
        }

        return last.Output is { AssistantTexts.Count: > 0 } output ? string.Join("\n", output.AssistantTexts) : null;
    }

    // ---------------------------------------------------------------- times

    /// <summary>Ends a span; a recorded end not after its start gets one tick, since an Activity with zero duration
    /// is given "now" as its end when stopped.</summary>
    private static void End(LiveSpan span, DateTimeOffset start, DateTimeOffset end) =>
        span.End(end > start ? end : start + OneTick);

    private static void End(LiveSpan span, in SpanTiming timing) => End(span, timing.Start, timing.End);

    /// <summary>The <c>openclaw.timing.*</c> attributes: where a start or end not taken from the span's own hooks came
    /// from, and whether it is unknown.</summary>
    private static void SetTiming(LiveSpan span, in SpanTiming timing)
    {
        if (timing.StartSource is not null)
        {
            span.SetAttribute(OpenClawAttributes.TimingStartSource, timing.StartSource);
        }

        if (timing.StartUnknown)
        {
            span.SetAttribute(OpenClawAttributes.TimingStartUnknown, true);
        }

        if (timing.EndUnknown)
        {
            span.SetAttribute(OpenClawAttributes.TimingEndUnknown, true);
        }

        if (timing.EndSource is not null)
        {
            span.SetAttribute(OpenClawAttributes.TimingEndSource, timing.EndSource);
        }
    }

    /// <summary>The timing attributes of a call span (LLM, TOOL); a call whose end was not observed is also marked
    /// incomplete, with the turn's reason.</summary>
    private static void SetCallTiming(LiveSpan span, in SpanTiming timing, string? incomplete)
    {
        SetTiming(span, timing);
        if (timing.EndUnknown)
        {
            MarkIncomplete(span, incomplete ?? "end_not_observed");
        }
    }

    private static void MarkIncomplete(LiveSpan span, string reason)
    {
        span.SetAttribute(InstrumentationAttributes.Incomplete, true);
        span.SetAttribute(InstrumentationAttributes.IncompleteReason, reason);
    }

    // ---------------------------------------------------------------- LLM spans

    private void EmitCalls(TurnState turn, AttemptState attempt, ModelCallState call, ActivityContext parent, DateTimeOffset fallbackEnd, string? incomplete)
    {
        if (call.ProviderCalls is { Count: > 0 } invocations)
        {
            // The provider_call records are authoritative for the call (docs/openclaw-bridge.md).
            foreach (var invocation in invocations)
            {
                EmitInvocation(turn, attempt, call, invocation, invocations.Count == 1, parent, fallbackEnd, incomplete);
            }

            return;
        }

        var message = call.Message?.Message;
        var model = call.Started?.Model ?? call.Ended?.Model ?? message?.Model;
        var provider = call.Started?.Provider ?? call.Ended?.Provider ?? message?.Provider;

        // The assistant message's timestamp is the call's start, and it is written right after the call ends (§0.5).
        var timing = SpanTiming.Of(
            observedStart: call.Started?.Time,
            observedEnd: call.Ended?.Time,
            durationMs: call.Ended?.DurationMs,
            durationSource: TimingSources.ModelCallEndedDuration,
            secondaryStart: SourcedTime.Of(message?.Timestamp, TimingSources.AssistantMessageTimestamp),
            secondaryEnd: SourcedTime.Of(call.Message?.WriteTime, TimingSources.AssistantMessageWrite),
            fallbackStart: call.Ended?.Time ?? call.Message?.WriteTime ?? attempt.StartTime,
            fallbackEnd: fallbackEnd);

        var span = LlmSpan.Start(SpanName(call.IsCompaction, model), model, provider, startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (!span.IsRecording)
        {
            End(span.Span, timing);
            return;
        }

        span.SetAttribute(OpenClawAttributes.LlmSource, "model_call");
        span.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
        DescribeModelCall(span, call);
        SetCallTiming(span.Span, timing, incomplete);

        if ((call.Ended ?? call.Started)?.TimeToFirstByteMs is { } ttfb)
        {
            span.SetTimeToFirstChunk(TimeSpan.FromMilliseconds(ttfb));
        }

        if (message is not null)
        {
            DescribeFromMessage(span, message, setUsage: true, setOutput: true);
        }

        if (span.CapturesContent)
        {
            span.SetChatInputs(ChatConversion.ConversationBefore(attempt, timing.Start, call.Message), model);
        }

        if (Outcomes.OfCall(call) is { } failure)
        {
            span.SetError(failure.ErrorType, failure.Message);
        }

        End(span.Span, timing);
    }

    private static void DescribeModelCall(LlmSpan span, ModelCallState call)
    {
        var record = call.Ended ?? call.Started;
        span.SetAttribute(OpenClawAttributes.ModelCallId, call.CallId);
        span.SetAttribute(OpenClawAttributes.SpanId, call.SpanId);
        if (call.IsCompaction)
        {
            span.SetAttribute(OpenClawAttributes.ModelCallKind, "compaction");
        }

        if (record is null)
        {
            return;
        }

        span.SetAttribute(OpenClawAttributes.ModelCallApi, record.Api);
        span.SetAttribute(OpenClawAttributes.ModelCallTransport, record.Transport);
        if (call.Ended is { } ended)
        {
            span.SetAttribute(OpenClawAttributes.ModelCallOutcome, ended.Outcome);
            span.SetAttribute(OpenClawAttributes.ModelCallErrorCategory, ended.ErrorCategory);
            span.SetAttribute(OpenClawAttributes.ModelCallFailureKind, ended.FailureKind);
            span.SetAttribute(OpenClawAttributes.RequestPayloadBytes, ended.RequestPayloadBytes);
            span.SetAttribute(OpenClawAttributes.ResponseStreamBytes, ended.ResponseStreamBytes);
            span.SetAttribute(OpenClawAttributes.UpstreamRequestIdHash, ended.UpstreamRequestIdHash);
        }
    }

    /// <summary>
    /// Usage, cost, stop reason, response id and output from the assistant message that followed the call (§0.5).
    /// OpenClaw's <c>usage.input</c> excludes cached tokens: converted to the project's unit rule (input = uncached +
    /// cache read + cache write; mlflow-contract.md §2).
    /// </summary>
    private static void DescribeFromMessage(LlmSpan span, TranscriptMessage message, bool setUsage, bool setOutput)
    {
        var finishReason = ChatConversion.FinishReason(message.StopReason);
        span.SetResponse(model: message.Model, responseId: message.ResponseId, finishReason: finishReason);
        span.SetAttribute(OpenClawAttributes.LlmStopReason, message.StopReason);
        span.SetAttribute(OpenClawAttributes.LlmErrorCode, message.ErrorCode);
        if (setUsage && message.Usage is { } usage)
        {
            span.SetUsage(UsageConversion.FromOpenClaw(usage));
            if (UsageConversion.CostOf(usage) is { } cost)
            {
                span.SetCost(cost);
            }
        }

        if (setOutput && span.CapturesContent && (message.Text is not null || message.ToolCalls is { Count: > 0 }))
        {
            span.SetChatOutput(ChatConversion.ToChat(message), finishReason);
        }
    }

    private void EmitInvocation(TurnState turn, AttemptState attempt, ModelCallState? call, ProviderInvocation invocation, bool single,
        ActivityContext parent, DateTimeOffset fallbackEnd, string? incomplete)
    {
        var any = invocation.Any!;
        var message = single ? call?.Message?.Message : null;
        var model = any.Model ?? call?.Started?.Model ?? call?.Ended?.Model;
        var provider = any.Provider ?? call?.Started?.Provider ?? call?.Ended?.Provider;
        var finish = invocation.After ?? invocation.Error;

        var timing = SpanTiming.Of(
            observedStart: invocation.Before?.Time,
            observedEnd: finish?.Time,
            durationMs: finish?.DurationMs,
            durationSource: TimingSources.ProviderCallDuration,
            secondaryStart: SourcedTime.Of(call?.StartTime, TimingSources.ModelCallStarted),
            secondaryEnd: null,
            fallbackStart: any.Time,
            fallbackEnd: fallbackEnd);

        var span = LlmSpan.Start(SpanName(call?.IsCompaction == true, model), model, provider, startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (!span.IsRecording)
        {
            End(span.Span, timing);
            return;
        }

        span.SetAttribute(OpenClawAttributes.LlmSource, "provider_call");
        span.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
        span.SetAttribute(OpenClawAttributes.ProviderCallId, invocation.CallId);
        span.SetAttribute(OpenClawAttributes.ProviderCallAttempt, any.Attempt);
        if (call is not null)
        {
            DescribeModelCall(span, call);
            if (!single)
            {
                // Several invocations served one model call: its byte counts cover them all, so they stay off.
                span.SetAttribute(OpenClawAttributes.RequestPayloadBytes, null);
                span.SetAttribute(OpenClawAttributes.ResponseStreamBytes, null);
            }
        }
        else
        {
            span.SetAttribute(OpenClawAttributes.ModelCallId, any.LogicalCallId);
        }

        if ((invocation.Before?.RequestPayloadBytes ?? finish?.RequestPayloadBytes) is { } requestBytes)
        {
            span.SetAttribute(OpenClawAttributes.RequestPayloadBytes, requestBytes);
        }

        span.SetAttribute(OpenClawAttributes.ProviderCallResponseBytes, finish?.ResponseBytes);
        SetCallTiming(span.Span, timing, incomplete);

        if (invocation.After?.TimeToFirstByteMs is { } ttfb)
        {
            span.SetTimeToFirstChunk(TimeSpan.FromMilliseconds(ttfb));
        }
        else if (invocation.FirstChunk is { } chunk && invocation.Before is { } begun && chunk.Time >= begun.Time)
        {
            span.SetTimeToFirstChunk(chunk.Time - begun.Time);
        }

        // The record wins; the paired assistant message only fills what the record does not carry, and only when it is
        // the call's single invocation (so the message is certainly this invocation's answer).
        if (message is not null)
        {
            DescribeFromMessage(span, message, setUsage: invocation.After?.Usage is null, setOutput: invocation.After?.Output is null);
        }

        if (invocation.After is { } after)
        {
            span.SetResponse(after.ResponseModel, after.ResponseId, after.FinishReason);
            if (after.Usage is { } usage)
            {
                span.SetUsage(usage);
            }

            if (after.Output is { } output && span.CapturesContent)
            {
                span.SetChatOutput(ChatConversion.ToChat(output), after.FinishReason);
            }
        }

        if (span.CapturesContent)
        {
            if (invocation.Before?.RequestMessages is { Count: > 0 } request)
            {
                var messages = new List<RecordedChatMessage>(request.Count);
                foreach (var requestMessage in request)
                {
                    messages.Add(ChatConversion.ToChat(requestMessage));
                }

                span.SetChatInputs(messages, model);
            }
            else
            {
                span.SetChatInputs(ChatConversion.ConversationBefore(attempt, call?.StartTime ?? timing.Start, call?.Message), model);
            }
        }

        if (invocation.Error is { } error)
        {
            span.SetError(error.ErrorType ?? "provider_error", error.ErrorMessage);
        }
        else if (single && message is { StopReason: "error" })
        {
            var failure = Outcomes.OfMessage(message);
            span.SetError(failure.ErrorType, failure.Message);
        }

        End(span.Span, timing);
    }

    /// <summary>An assistant message no model-call hook accounts for: its span runs from the message's
    /// <c>timestamp</c> (the call's start, §0.5) to its write.</summary>
    private void EmitTranscriptOnlyCall(AttemptState attempt, TranscriptEntry entry, ActivityContext parent)
    {
        var message = entry.Message;
        var timing = new SpanTiming(
            Start: message.Timestamp is { } stamp && stamp <= entry.WriteTime ? stamp : entry.WriteTime,
            End: entry.WriteTime,
            StartSource: message.Timestamp is null ? null : TimingSources.AssistantMessageTimestamp,
            EndSource: TimingSources.AssistantMessageWrite,
            StartUnknown: message.Timestamp is null,
            EndUnknown: false);
        var span = LlmSpan.Start(SpanName(false, message.Model), message.Model, message.Provider, startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (span.IsRecording)
        {
            span.SetAttribute(OpenClawAttributes.LlmSource, "transcript");
            span.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
            SetTiming(span.Span, timing);
            DescribeFromMessage(span, message, setUsage: true, setOutput: true);
            if (span.CapturesContent)
            {
                span.SetChatInputs(ChatConversion.ConversationBefore(attempt, timing.Start, entry), message.Model);
            }

            if (message.StopReason == "error")
            {
                var failure = Outcomes.OfMessage(message);
                span.SetError(failure.ErrorType, failure.Message);
            }
        }

        End(span.Span, timing);
    }

    private static string SpanName(bool compaction, string? model) =>
        (compaction ? "compaction" : GenAiAttributes.Operations.Chat) + (model is null ? string.Empty : " " + model);

    // ---------------------------------------------------------------- TOOL spans

    /// <summary>
    /// A tool call: starts at <c>before_tool_call</c> and lasts <c>after_tool_call.durationMs</c> (OpenClaw's own
    /// measure), else ends at <c>after_tool_call</c>. <c>error</c> makes it an Error span; a non-zero <c>exec</c> exit is
    /// a successful call with the exit code as an attribute (§5.14).
    /// </summary>
    private ActivityContext EmitTool(TurnState turn, AttemptState attempt, ToolCallState tool, ActivityContext parent, DateTimeOffset fallbackEnd, string? incomplete)
    {
        var timing = SpanTiming.Of(
            observedStart: tool.Before?.Time,
            observedEnd: tool.After?.Time,
            durationMs: tool.After?.DurationMs,
            durationSource: TimingSources.AfterToolCallDuration,
            secondaryStart: null,
            secondaryEnd: SourcedTime.Of(tool.Persisted?.Time, TimingSources.ToolResultPersist),
            fallbackStart: tool.After?.Time ?? tool.Persisted?.Time ?? attempt.StartTime,
            fallbackEnd: fallbackEnd);

        string? description = null;
        turn.ToolDescriptions?.TryGetValue(tool.ToolName, out description);
        var span = ToolSpan.Start(tool.ToolName, description, tool.ToolCallId.StartsWith("?", StringComparison.Ordinal) ? null : tool.ToolCallId,
            startTime: timing.Start, parent: parent);
        _stats.SpansExported++;
        if (!span.IsRecording)
        {
            End(span, timing);
            return span.Activity?.Context ?? default;
        }

        span.SetAttribute(OpenClawAttributes.Attempt, attempt.Number);
        span.SetAttribute(OpenClawAttributes.SpanId, tool.Before?.Context.SpanId);
        SetCallTiming(span, timing, incomplete);

        var persistedMessage = tool.Persisted?.Message;
        if ((tool.After?.ExitCode ?? persistedMessage?.ExitCode) is { } exitCode)
        {
            span.SetAttribute(OpenClawAttributes.ToolExitCode, exitCode);
        }

        if (persistedMessage?.IsError is { } isError)
        {
            span.SetAttribute(OpenClawAttributes.ToolResultIsError, isError);
        }

        if (tool.Persisted is { IsSynthetic: true })
        {
            span.SetAttribute(OpenClawAttributes.ToolSyntheticResult, true);
        }

        if (tool.SpawnedRunId is { } childRunId)
        {
            span.SetAttribute(OpenClawAttributes.SubagentChildRunId, childRunId);
            span.SetAttribute(OpenClawAttributes.SubagentChildSessionKey, tool.After?.SpawnedSessionKey);
        }

        if (span.CapturesContent)
        {
            var parameters = tool.Before?.ParamsJson ?? tool.After?.ParamsJson;
            if (parameters is not null)
            {
                span.SetInputsJson(parameters.StartsWith('{') ? parameters : ChatShapes.Wrap("params", parameters));
            }

            if (tool.After?.ResultJson is { } result)
            {
                span.SetOutputJson(result);
            }
            else if (persistedMessage?.Text is { } text)
            {
                span.SetOutput(text);
            }
        }

        if (tool.After?.Error is { } error)
        {
            span.SetError("tool_error", error);
        }
        else if (persistedMessage is { IsError: true })
        {
            span.SetError("tool_error", persistedMessage.Text ?? "the tool result is marked as an error");
        }

        var context = span.Activity?.Context ?? default;
        End(span, timing);
        return context;
    }
}
