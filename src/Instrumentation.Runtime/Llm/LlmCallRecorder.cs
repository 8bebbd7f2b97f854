using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Llm;

/// <summary>
/// The observer half of an <see cref="Spans.LlmSpan"/>: what one live <c>[LlmCall]</c> invocation reported so far, kept
/// for its observers and handed to them phase by phase. Each <c>LlmSpan</c> setter calls one <c>Record</c> member here;
/// the span itself only sets attributes. Allocated only when observers are registered or a retry scope is open; its
/// <see cref="Finish"/> runs once, when the span ends, and emits exactly one terminal phase. Fail-open.
/// </summary>
internal sealed class LlmCallRecorder
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private int _finished;
    private TokenUsage _usage;
    private object? _providerUsage;
    private object? _response;
    private string? _finishReason;
    private IReadOnlyList<RecordedToolCall> _toolCalls = Array.Empty<RecordedToolCall>();
    private string? _responseModel;
    private string? _responseId;
    private TimeSpan? _timeToFirstChunk;
    private Exception? _exception;
    private string? _errorType;
    private string? _errorMessage;

    private LlmCallRecorder(LlmCallInfo info) => Info = info;

    public LlmCallInfo Info { get; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    /// <summary>
    /// A recorder for a live call, or <see langword="null"/> when nobody observes it (no observer, no retry scope). Inside
    /// a retry scope, also tags the span with the logical call id and the attempt number.
    /// </summary>
    public static LlmCallRecorder? Start(Activity? activity, string name, string? model, string? provider)
    {
        var retry = LlmRetryScope.Current;
        if (retry is null && !LlmCallObservers.HasAny)
        {
            return null;
        }

        try
        {
            var attempt = retry?.NextAttempt() ?? 1;
            if (retry is not null && activity is { IsAllDataRequested: true })
            {
                activity.SetTag(InstrumentationAttributes.LogicalCallId, retry.LogicalCallId);
                activity.SetTag(InstrumentationAttributes.Attempt, attempt);
            }

            var callId = activity is null ? ActivitySpanId.CreateRandom().ToHexString() : activity.SpanId.ToHexString();
            return new LlmCallRecorder(new LlmCallInfo(callId, name, model, provider, DateTimeOffset.UtcNow, retry?.LogicalCallId, attempt));
        }
        catch (Exception ex)
        {
            FailOpen.Report("starting LLM call observation for " + name, ex);
            return null;
        }
    }

    public void RecordRequest(IReadOnlyList<RecordedChatMessage> messages, string? toolSchemas)
    {
        try
        {
            Info.Messages = messages;
            Info.MessagesFingerprint = Fingerprint.Of(messages);
            Info.ToolSchemasFingerprint = toolSchemas is null ? null : Fingerprint.Of(toolSchemas);
        }
        catch (Exception ex)
        {
            FailOpen.Report("fingerprinting the request of " + Info.SpanName, ex);
        }
    }

    public void RecordOutput(RecordedChatMessage message, string? finishReason)
    {
        _toolCalls = message.ToolCalls ?? Array.Empty<RecordedToolCall>();
        _finishReason ??= finishReason;
    }

    public void RecordResponse(string? model, string? responseId, string? finishReason)
    {
        _responseModel = model ?? _responseModel;
        _responseId = responseId ?? _responseId;
        _finishReason = finishReason ?? _finishReason;
    }

    public void RecordUsage(in TokenUsage usage, object? providerUsage)
    {
        _usage = usage;
        _providerUsage = providerUsage ?? _providerUsage;
    }

    public void RecordTimeToFirstChunk(TimeSpan elapsed) => _timeToFirstChunk ??= elapsed;

    public void RecordChunk(object? chunk, int index)
    {
        if (LlmCallObservers.HasAny)
        {
            LlmCallObservers.Notify(o => o.OnChunk(Info, chunk, index), "chunk");
        }
    }

    public void RecordResponseObject(object? response) => _response = response;

    /// <summary>Keeps the first error only: a later one (the wrapper's rethrow) does not replace it.</summary>
    public void RecordError(Exception? exception)
    {
        if (exception is not null && _errorType is null)
        {
            _exception = exception;
            _errorType = exception.GetType().FullName ?? exception.GetType().Name;
            _errorMessage = exception.Message;
        }
    }

    /// <inheritdoc cref="RecordError(System.Exception?)"/>
    public void RecordError(string errorType, string? message)
    {
        if (_errorType is null)
        {
            _errorType = errorType;
            _errorMessage = message;
        }
    }

    public void Finish()
    {
        if (System.Threading.Interlocked.Exchange(ref _finished, 1) != 0 || !LlmCallObservers.HasAny)
        {
            return;
        }

        var elapsed = Elapsed;
        if (_errorType is null)
        {
            var result = new LlmCallResult(_response, _usage, _providerUsage, _finishReason, _toolCalls, _responseModel, _responseId, elapsed, _timeToFirstChunk);
            LlmCallObservers.Notify(o => o.OnAfter(Info, result), "after");
        }
        else
        {
            var status = _exception is HttpRequestException { StatusCode: { } code } ? (int?)code : null;
            var failure = new LlmCallFailure(_exception, _errorType, _errorMessage, status, elapsed, _usage);
            LlmCallObservers.Notify(o => o.OnError(Info, failure), "error");
        }
    }

    public LlmCallDecision Decide<T>()
    {
        LlmCallObservers.Notify(o => o.OnBefore(Info), "before");
        foreach (var entry in LlmCallObservers.Snapshot)
        {
            if (entry.Policy is not { } policy)
            {
                continue;
            }

            LlmCallDecision decision;
            try
            {
                decision = policy.Decide(Info);
            }
            catch (Exception ex)
            {
                FailOpen.Report("LLM call policy " + policy.GetType().Name, ex);
                continue;
            }

            if (decision.Action == LlmCallAction.Substitute && decision.SubstituteResponse is not T)
            {
                FailOpen.Report("LLM call policy " + policy.GetType().Name, new InvalidCastException(
                    $"The substitute response is a {decision.SubstituteResponse?.GetType().FullName}, but {Info.SpanName} returns {typeof(T).FullName}; the call is sent."));
                continue;
            }

            if (!decision.IsContinue)
            {
                return decision;
            }
        }

        return LlmCallDecision.Continue;
    }
}
