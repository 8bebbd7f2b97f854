using System;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads the hooks of one provider call: OpenClaw's <c>model_call_started</c>/<c>model_call_ended</c>
/// (docs/openclaw-hooks.md §4, row "LLM (per provider call)") and the bridge's own <c>provider_call</c> record
/// (docs/openclaw-bridge.md, "The provider_call record").
/// </summary>
internal static class ModelCallHookReader
{
    /// <summary>The event of a model-call hook or a usable <c>provider_call</c> record; <see langword="null"/> for a
    /// hook of another family, or a record without a known phase or a <c>callId</c>.</summary>
    public static HookEvent? Read(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e) => hook switch
    {
        HookNames.ModelCallStarted or HookNames.ModelCallEnded => new ModelCallEvent(hook, time, ctx, position, hook == HookNames.ModelCallEnded)
        {
            RunId = e.String("runId") ?? ctx.RunId,
            CallId = e.String("callId"),
            Provider = e.String("provider") ?? ctx.ModelProviderId,
            Model = e.String("model") ?? ctx.ModelId,
            Api = e.String("api"),
            Transport = e.String("transport"),
            DurationMs = e.Int64("durationMs"),
            Outcome = e.String("outcome"),
            ErrorCategory = e.String("errorCategory"),
            FailureKind = e.String("failureKind"),
            RequestPayloadBytes = e.Int64("requestPayloadBytes"),
            ResponseStreamBytes = e.Int64("responseStreamBytes"),
            TimeToFirstByteMs = e.Int64("timeToFirstByteMs"),
            UpstreamRequestIdHash = e.String("upstreamRequestIdHash"),
        },
        HookNames.ProviderCall => ReadProviderCall(hook, time, ctx, position, e),
        _ => null,
    };

    private static HookEvent? ReadProviderCall(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        ProviderCallPhase? phase = e.String("phase") switch
        {
            "before" => ProviderCallPhase.Before,
            "chunk" => ProviderCallPhase.Chunk,
            "after" => ProviderCallPhase.After,
            "error" => ProviderCallPhase.Error,
            _ => null,
        };
        if (phase is null || e.String("callId") is not { Length: > 0 } callId)
        {
            // Not a usable record: kept as an ignored line rather than failing the stream.
            return null;
        }

        var error = e.Object("error");
        var request = e.Object("request");
        return new ProviderCallEvent(hook, time, ctx, position, phase.Value, callId)
        {
            LogicalCallId = e.String("logicalCallId"),
            Attempt = e.Int64("attempt"),
            RunId = e.String("runId") ?? ctx.RunId,
            SessionKey = e.String("sessionKey") ?? ctx.SessionKey,
            Provider = e.String("provider") ?? ctx.ModelProviderId,
            Model = e.String("model") ?? ctx.ModelId,
            Api = e.String("api"),
            ResponseModel = e.String("responseModel"),
            ResponseId = e.String("responseId"),
            FinishReason = e.String("finishReason"),
            DurationMs = e.Int64("durationMs"),
            TimeToFirstByteMs = e.Int64("timeToFirstByteMs"),
            RequestPayloadBytes = e.Int64("requestPayloadBytes"),
            ResponseBytes = e.Int64("responseBytes"),
            Usage = NativeUsage.Parse(e.Object("usage"), e.String("usageFormat"), e.String("api"), e.String("provider")),
            RequestMessages = request.ValueKind == JsonValueKind.Object && request.Array("messages").IsArray()
                ? TranscriptMessageReader.ParseMessages(request.Array("messages"))
                : null,
            Output = TranscriptMessageReader.ParseMessage(e.Object("output")),
            ErrorMessage = ToolHookReader.ErrorMessage(e),
            ErrorType = error.String("type") ?? error.String("code") ?? (error.Int64("status") is { } status ? "http_" + status : null)
                ?? e.String("errorType"),
        };
    }
}
