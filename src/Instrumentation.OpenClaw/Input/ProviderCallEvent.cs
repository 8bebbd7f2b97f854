using System;
using System.Collections.Generic;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.OpenClaw.Input;

/// <summary>The phases of a <c>provider_call</c> record.</summary>
internal enum ProviderCallPhase
{
    /// <summary><c>before</c>: the request is about to be sent.</summary>
    Before,

    /// <summary><c>chunk</c>: a streamed chunk arrived (the first one gives the time to first byte).</summary>
    Chunk,

    /// <summary><c>after</c>: the response is complete.</summary>
    After,

    /// <summary><c>error</c>: the invocation failed.</summary>
    Error,
}

/// <summary>
/// One phase of the invocation-scoped provider-call record the bridge defines (docs/openclaw-bridge.md,
/// "The provider_call record"; the middleware proposed in docs/openclaw-hooks.md §6). All phases of one provider
/// invocation share <see cref="CallId"/>. When present for a model call it is authoritative for that call's LLM span.
/// </summary>
internal sealed class ProviderCallEvent : HookEvent
{
    public ProviderCallEvent(string hook, DateTimeOffset time, HookContext context, SourcePosition position, ProviderCallPhase phase, string callId)
        : base(hook, time, context, position)
    {
        Phase = phase;
        CallId = callId;
    }

    public ProviderCallPhase Phase { get; }

    /// <summary>The provider invocation's id: unique per invocation, shared by its phases.</summary>
    public string CallId { get; }

    /// <summary>The <c>model_call_*</c> <c>callId</c> this invocation serves (<c>"&lt;runId&gt;:model:&lt;n&gt;"</c>).</summary>
    public string? LogicalCallId { get; init; }

    /// <summary>1-based transport attempt within the logical call.</summary>
    public long? Attempt { get; init; }

    public string? RunId { get; init; }

    public string? SessionKey { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public string? Api { get; init; }

    public string? ResponseModel { get; init; }

    public string? ResponseId { get; init; }

    public string? FinishReason { get; init; }

    public long? DurationMs { get; init; }

    public long? TimeToFirstByteMs { get; init; }

    public long? RequestPayloadBytes { get; init; }

    public long? ResponseBytes { get; init; }

    /// <summary>Provider-native usage converted to the project's unit rule; <see langword="null"/> when absent.</summary>
    public TokenUsage? Usage { get; init; }

    /// <summary>The request's messages (OpenAI chat shape), when the emitter captured content.</summary>
    public IReadOnlyList<TranscriptMessage>? RequestMessages { get; init; }

    /// <summary>The response message (OpenAI chat shape), when the emitter captured content.</summary>
    public TranscriptMessage? Output { get; init; }

    public string? ErrorMessage { get; init; }

    public string? ErrorType { get; init; }
}
