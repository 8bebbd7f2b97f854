using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Llm;

/// <summary>
/// What one live <c>[LlmCall]</c> invocation reported so far, kept for its observers. Allocated only when observers are
/// registered or a retry scope is open; its <see cref="Finish"/> runs once, when the span ends, and emits exactly one
/// terminal phase.
/// </summary>
internal sealed class LlmCallState
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private int _finished;

    public LlmCallState(LlmCallInfo info) => Info = info;

    public LlmCallInfo Info { get; }

    public TokenUsage Usage { get; set; }

    public object? ProviderUsage { get; set; }

    public object? Response { get; set; }

    public string? FinishReason { get; set; }

    public IReadOnlyList<RecordedToolCall> ToolCalls { get; set; } = Array.Empty<RecordedToolCall>();

    public string? ResponseModel { get; set; }

    public string? ResponseId { get; set; }

    public TimeSpan? TimeToFirstChunk { get; set; }

    public Exception? Exception { get; set; }

    public string? ErrorType { get; set; }

    public string? ErrorMessage { get; set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_startTimestamp);

    public void Finish()
    {
        if (System.Threading.Interlocked.Exchange(ref _finished, 1) != 0 || !LlmCallObservers.HasAny)
        {
            return;
        }

        var elapsed = Elapsed;
        if (ErrorType is null)
        {
            var result = new LlmCallResult(Response, Usage, ProviderUsage, FinishReason, ToolCalls, ResponseModel, ResponseId, elapsed, TimeToFirstChunk);
            LlmCallObservers.Notify(o => o.OnAfter(Info, result), "after");
        }
        else
        {
            var status = Exception is HttpRequestException { StatusCode: { } code } ? (int?)code : null;
            var failure = new LlmCallFailure(Exception, ErrorType, ErrorMessage, status, elapsed, Usage);
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
