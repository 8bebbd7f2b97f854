using System;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>A failure: a short class and the human text.</summary>
internal readonly record struct Failure(string ErrorType, string? Message);

/// <summary>
/// How attempts and calls ended. OpenClaw reports <c>agent_end.success = true</c> even when the attempt ended on a
/// provider error (docs/openclaw-hooks.md §0.8, §5.5), so failure is read from the attempt's last assistant message
/// (<c>stopReason: "error"</c>, <c>errorMessage</c>) and the last model call's outcome, not from <c>success</c> alone.
/// Decided while a run is in flight (whether a failed attempt waits for a retry) and, once, when the complete turn is
/// frozen (<see cref="TurnFreezer"/>): <see cref="CompletedAttempt.Failure"/> and <see cref="CompletedModelCall.Failure"/>,
/// which Emission reads.
/// </summary>
internal static class Outcomes
{
    public static Failure? OfAttempt(AttemptBuilder attempt)
    {
        if (attempt.End is { Success: false } end)
        {
            return new Failure("agent_error", end.Error ?? "agent_end reported success: false");
        }

        TranscriptMessage? lastAssistant = null;
        for (var i = attempt.Transcript.Count - 1; i >= 0; i--)
        {
            if (attempt.Transcript[i].Message.Role == "assistant")
            {
                lastAssistant = attempt.Transcript[i].Message;
                break;
            }
        }

        if (lastAssistant is not null)
        {
            return string.Equals(lastAssistant.StopReason, "error", StringComparison.Ordinal) ? OfMessage(lastAssistant) : null;
        }

        // No assistant message was written: the last provider call's own outcome decides.
        for (var i = attempt.Calls.Count - 1; i >= 0; i--)
        {
            var call = attempt.Calls[i];
            if (call.IsCompaction)
            {
                continue;
            }

            return OfCall(call);
        }

        return null;
    }

    public static Failure OfMessage(TranscriptMessage message) =>
        new(TypeOrNull(message.ErrorType) ?? TypeOrNull(message.ErrorCode) ?? "provider_error",
            message.ErrorMessage ?? "the model call ended with stopReason: error");

    /// <summary>
    /// An error class as OpenClaw reported it, or <see langword="null"/> when it is absent or redacted. OpenClaw's
    /// redaction replaces a value it considers sensitive with <c>***</c> (any run of asterisks is taken as one): that
    /// names no class, so the next source (or <c>provider_error</c>) is used instead of passing the mask on as
    /// <c>error.type</c>.
    /// </summary>
    public static string? TypeOrNull(string? errorType)
    {
        if (string.IsNullOrWhiteSpace(errorType))
        {
            return null;
        }

        return errorType.AsSpan().Trim().TrimStart('*').IsEmpty ? null : errorType;
    }

    /// <summary>A model call's failure from its own records: the assistant message, then the provider_call error, then
    /// <c>model_call_ended.outcome</c> (whose <c>errorCategory</c> is only a coarse class name, §5.6).</summary>
    public static Failure? OfCall(ModelCallBuilder call)
    {
        if (call.Message?.Message is { StopReason: "error" } message)
        {
            return OfMessage(message);
        }

        if (call.ProviderCalls is { Count: > 0 } invocations && invocations[^1].Error is { } error)
        {
            return new Failure(TypeOrNull(error.ErrorType) ?? "provider_error", error.ErrorMessage);
        }

        if (call.Ended is { Outcome: "error" } ended)
        {
            var kind = TypeOrNull(ended.FailureKind);
            var category = TypeOrNull(ended.ErrorCategory);
            return new Failure(kind ?? category ?? "provider_error",
                kind is not null ? "model call failed: " + kind : "model call failed (" + (category ?? "error") + ")");
        }

        return null;
    }
}
