// LLM spans, one per provider call (docs/openclaw-bridge.md, "How spans are derived", LLM): from a model_call_* pair
// and the assistant message that followed it; from provider_call records, which are authoritative when present; or
// from an assistant message alone when no model-call hook accounts for it.

using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.OpenClaw.Correlation;
using Instrumentation.OpenClaw.Input;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.OpenClaw.Emission;

internal sealed partial class TurnEmitter
{
    private void EmitCalls(CompletedTurn turn, CompletedAttempt attempt, CompletedModelCall call, ActivityContext parent, DateTimeOffset fallbackEnd, string? incomplete)
    {
        if (call.ProviderCalls is { Length: > 0 } invocations)
        {
            // The provider_call records are authoritative for the call (docs/openclaw-bridge.md).
            foreach (var invocation in invocations)
            {
                EmitInvocation(turn, attempt, call, invocation, invocations.Length == 1, parent, fallbackEnd, incomplete);
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

        if (call.Failure is { } failure)
        {
            span.SetError(failure.ErrorType, failure.Message);
        }

        End(span.Span, timing);
    }

    private static void DescribeModelCall(LlmSpan span, CompletedModelCall call)
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
    /// cache read + cache write; docs/mlflow-contract.md §2). A failed call's message carries OpenClaw's all-zero usage
    /// when the provider reported none (docs/openclaw-hooks.md §0.5): such a call gets no usage block, because zero tokens
    /// would be a claim the provider never made.
    /// </summary>
    private static void DescribeFromMessage(LlmSpan span, TranscriptMessage message, bool setUsage, bool setOutput)
    {
        var finishReason = ChatConversion.FinishReason(message.StopReason);
        span.SetResponse(model: message.Model, responseId: message.ResponseId, finishReason: finishReason);
        span.SetAttribute(OpenClawAttributes.LlmStopReason, message.StopReason);
        span.SetAttribute(OpenClawAttributes.LlmErrorCode, message.ErrorCode);
        if (setUsage && message.Usage is { } usage && !(message.StopReason == "error" && UsageConversion.IsEmpty(usage)))
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

    private void EmitInvocation(CompletedTurn turn, CompletedAttempt attempt, CompletedModelCall? call, CompletedProviderCall invocation, bool single,
        ActivityContext parent, DateTimeOffset fallbackEnd, string? incomplete)
    {
        var any = invocation.Any;
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

        span.SetAttribute(OpenClawAttributes.LlmSource, HookNames.ProviderCall);
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
            span.SetError(Outcomes.TypeOrNull(error.ErrorType) ?? "provider_error", error.ErrorMessage);
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
    private void EmitTranscriptOnlyCall(CompletedAttempt attempt, CompletedTranscriptEntry entry, ActivityContext parent)
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
}
