using System;
using System.Collections.Generic;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Llm;

/// <summary>
/// One <c>[LlmCall]</c> invocation as observers see it: the same object in every phase of the call.
/// </summary>
public sealed class LlmCallInfo
{
    internal LlmCallInfo(string callId, string spanName, string? model, string? provider, DateTimeOffset startTime, string? logicalCallId, int attempt)
    {
        CallId = callId;
        SpanName = spanName;
        Model = model;
        Provider = provider;
        StartTime = startTime;
        LogicalCallId = logicalCallId;
        Attempt = attempt;
    }

    /// <summary>Identifies this invocation in all its phases: the LLM span's span id (16 hex digits), or a fresh id of
    /// the same form when no span records the call.</summary>
    public string CallId { get; }

    /// <summary>The logical request this call is an attempt of, inside an <see cref="LlmRetryScope"/>; otherwise
    /// <see langword="null"/>.</summary>
    public string? LogicalCallId { get; }

    /// <summary>The attempt number inside an <see cref="LlmRetryScope"/>, from 1; 1 outside any scope.</summary>
    public int Attempt { get; }

    /// <summary>The span name (the method name unless <c>[LlmCall(Name = ...)]</c> says otherwise).</summary>
    public string SpanName { get; }

    /// <summary>The requested model, when known.</summary>
    public string? Model { get; }

    /// <summary>The provider, when known.</summary>
    public string? Provider { get; }

    /// <summary>When the call started.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>The request messages, when the method's parameters carry a conversation; <see langword="null"/> otherwise.</summary>
    public IReadOnlyList<RecordedChatMessage>? Messages { get; internal set; }

    /// <summary>A stable fingerprint of <see cref="Messages"/>: the first 16 bytes of the SHA-256 of their canonical JSON,
    /// as 32 hex digits. Equal requests have equal fingerprints across processes.</summary>
    public string? MessagesFingerprint { get; internal set; }

    /// <summary>A stable fingerprint of the tool schemas offered to the model (same form), or <see langword="null"/> when
    /// none are.</summary>
    public string? ToolSchemasFingerprint { get; internal set; }
}

/// <summary>What an observer receives when a call completes: the <c>after</c> phase.</summary>
public sealed class LlmCallResult
{
    internal LlmCallResult(object? response, TokenUsage usage, object? providerUsage, string? finishReason, IReadOnlyList<RecordedToolCall> toolCalls,
        string? responseModel, string? responseId, TimeSpan latency, TimeSpan? timeToFirstChunk)
    {
        Response = response;
        Usage = usage;
        ProviderUsage = providerUsage;
        FinishReason = finishReason;
        ToolCalls = toolCalls;
        ResponseModel = responseModel;
        ResponseId = responseId;
        Latency = latency;
        TimeToFirstChunk = timeToFirstChunk;
    }

    /// <summary>The response the body returned (for a stream, <see langword="null"/>).</summary>
    public object? Response { get; }

    /// <summary>Token usage in the project's unit rule.</summary>
    public TokenUsage Usage { get; }

    /// <summary>The provider's own usage object (OpenAI <c>ChatTokenUsage</c>, Anthropic <c>Usage</c>, Microsoft.Extensions.AI
    /// <c>UsageDetails</c>) with every detail it reports, or <see langword="null"/>.</summary>
    public object? ProviderUsage { get; }

    /// <summary>Why the model stopped, as the provider reports it.</summary>
    public string? FinishReason { get; }

    /// <summary>The tool calls the model asked for.</summary>
    public IReadOnlyList<RecordedToolCall> ToolCalls { get; }

    /// <summary>The model that answered.</summary>
    public string? ResponseModel { get; }

    /// <summary>The provider's response id.</summary>
    public string? ResponseId { get; }

    /// <summary>From the start of the call to its end.</summary>
    public TimeSpan Latency { get; }

    /// <summary>For a streaming call, from the start to the first chunk.</summary>
    public TimeSpan? TimeToFirstChunk { get; }
}

/// <summary>What an observer receives when a call fails: the <c>error</c> phase.</summary>
public sealed class LlmCallFailure
{
    internal LlmCallFailure(Exception? exception, string errorType, string? message, int? statusCode, TimeSpan elapsed, TokenUsage partialUsage)
    {
        Exception = exception;
        ErrorType = errorType;
        Message = message;
        StatusCode = statusCode;
        Elapsed = elapsed;
        PartialUsage = partialUsage;
    }

    /// <summary>The exception, when the failure was one.</summary>
    public Exception? Exception { get; }

    /// <summary>The exception type's full name, or the error class recorded on the span.</summary>
    public string ErrorType { get; }

    /// <summary>The error message.</summary>
    public string? Message { get; }

    /// <summary>The HTTP status, when the exception carries one (<see cref="System.Net.Http.HttpRequestException.StatusCode"/>).</summary>
    public int? StatusCode { get; }

    /// <summary>From the start of the call to the failure.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Usage reported before the failure (a stream that broke after its usage chunk), or empty.</summary>
    public TokenUsage PartialUsage { get; }
}
