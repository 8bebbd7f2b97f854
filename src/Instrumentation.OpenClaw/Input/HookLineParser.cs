using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// What parsing one line gave: an event (<see cref="Event"/> set), a blank line (<see cref="IsBlank"/>), or the reason
/// the line is malformed (<see cref="Error"/> set). Exactly one of the three holds; <c>default</c> is a blank line.
/// </summary>
public readonly struct HookParseResult
{
    private HookParseResult(HookEvent? hookEvent, string? error, SourcePosition position)
    {
        Event = hookEvent;
        Error = error;
        Position = position;
    }

    /// <summary>The event, when the line is a well-formed hook line.</summary>
    public HookEvent? Event { get; }

    /// <summary>Why the line was skipped, when it is malformed: one line of text such as <c>missing "event" (an
    /// object)</c> or <c>invalid JSON: ...</c>, without the position.</summary>
    public string? Error { get; }

    /// <summary>Where the line is (file label and 1-based line number).</summary>
    public SourcePosition Position { get; }

    /// <summary>Whether the line was empty or white space (skipped silently).</summary>
    public bool IsBlank => Event is null && Error is null;

    internal static HookParseResult Ok(HookEvent hookEvent) => new(hookEvent, null, hookEvent.Position);

    internal static HookParseResult Malformed(SourcePosition position, string error) => new(null, error, position);

    internal static HookParseResult Blank(SourcePosition position) => new(null, null, position);
}

/// <summary>
/// Turns one JSON line <c>{hook, ts | tsMs, event, ctx, ...}</c> into a <see cref="HookEvent"/> (docs/openclaw-bridge.md,
/// "Input format"). Extra top-level fields (<c>v</c>, <c>seq</c>, <c>instance</c>, <c>monoMs</c>, <c>pid</c>) are allowed
/// and ignored. A line is malformed when it is not a JSON object, has no string <c>hook</c>, no object <c>event</c>, or no
/// time; fields inside <c>event</c>/<c>ctx</c> of an unexpected type read as absent. Never throws.
/// </summary>
public static class HookLineParser
{
    private static readonly JsonDocumentOptions s_documentOptions = new() { MaxDepth = 256 };

    /// <summary>Parses one line. Never throws: a line that cannot be read is a malformed result.</summary>
    /// <param name="line">The line's text, without its line break; <see langword="null"/>, empty or white space is a blank
    /// line.</param>
    /// <param name="position">Where the line is, for the event and for error messages.</param>
    /// <returns>The event (an <see cref="IgnoredHookEvent"/> for a hook the replay does not use), the blank line, or the
    /// reason the line is malformed.</returns>
    public static HookParseResult Parse(string line, SourcePosition position)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return HookParseResult.Blank(position);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, s_documentOptions);
        }
        catch (JsonException ex)
        {
            return HookParseResult.Malformed(position, "invalid JSON: " + FirstLine(ex.Message));
        }

        using (document)
        {
            try
            {
                return ParseRoot(document.RootElement, position);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or OverflowException)
            {
                // Defensive: the accessors are tolerant, but a payload no one foresaw must cost one line, not the replay.
                return HookParseResult.Malformed(position, "unreadable payload: " + FirstLine(ex.Message));
            }
        }
    }

    private static HookParseResult ParseRoot(JsonElement root, SourcePosition position)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return HookParseResult.Malformed(position, "not a JSON object");
        }

        if (root.String("hook") is not { Length: > 0 } hook)
        {
            return HookParseResult.Malformed(position, "missing \"hook\" (a string)");
        }

        var eventElement = root.Object("event");
        if (eventElement.ValueKind != JsonValueKind.Object)
        {
            return HookParseResult.Malformed(position, "missing \"event\" (an object)");
        }

        DateTimeOffset time;
        if (root.UnixMs("tsMs") is { } whole)
        {
            time = whole;
            if (root.Double("tsMs") is { } precise && precise != whole.ToUnixTimeMilliseconds())
            {
                time = DateTimeOffset.UnixEpoch.AddTicks((long)(precise * TimeSpan.TicksPerMillisecond));
            }
        }
        else if (root.IsoTime("ts") is { } iso)
        {
            time = iso;
        }
        else
        {
            return HookParseResult.Malformed(position, "missing time (\"tsMs\" in Unix milliseconds or \"ts\" in ISO 8601)");
        }

        var context = ParseContext(root.Object("ctx"));
        return HookParseResult.Ok(ParseEvent(hook, time, context, position, eventElement) ?? Ignored(hook, time, context, position));
    }

    private static IgnoredHookEvent Ignored(string hook, DateTimeOffset time, HookContext context, SourcePosition position) =>
        new(hook, time, context, position, HookNames.Known.Contains(hook));

    private static HookContext ParseContext(JsonElement ctx)
    {
        if (ctx.ValueKind != JsonValueKind.Object)
        {
            return HookContext.Empty;
        }

        var trace = ctx.Object("trace");
        return new HookContext
        {
            RunId = ctx.String("runId"),
            SessionKey = ctx.String("sessionKey"),
            SessionId = ctx.String("sessionId"),
            AgentId = ctx.String("agentId"),
            TraceId = trace.String("traceId") ?? ctx.String("traceId"),
            SpanId = trace.String("spanId") ?? ctx.String("spanId"),
            ParentSpanId = trace.String("parentSpanId") ?? ctx.String("parentSpanId"),
            ToolCallId = ctx.String("toolCallId"),
            ToolName = ctx.String("toolName"),
            ChildSessionKey = ctx.String("childSessionKey"),
            RequesterSessionKey = ctx.String("requesterSessionKey"),
            ModelProviderId = ctx.String("modelProviderId"),
            ModelId = ctx.String("modelId"),
            Trigger = ctx.String("trigger"),
            Channel = ctx.String("channel") ?? ctx.String("channelId"),
        };
    }

    private static HookEvent? ParseEvent(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        switch (hook)
        {
            case HookNames.BeforeAgentReply:
                return new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeAgentReply, e.String("cleanedBody"));
            case HookNames.BeforeModelResolve:
                return new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeModelResolve, e.String("prompt"));
            case HookNames.AgentTurnPrepare:
                return new RunPhaseEvent(hook, time, ctx, position, RunPhase.AgentTurnPrepare, null);
            case HookNames.BeforePromptBuild:
                return new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforePromptBuild, null);
            case HookNames.BeforeAgentRun:
                return new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeAgentRun, null);
            case HookNames.BeforeAgentFinalize:
                return new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeAgentFinalize, null);
            case HookNames.LlmInput:
                return new LlmInputEvent(hook, time, ctx, position)
                {
                    Provider = e.String("provider"),
                    Model = e.String("model"),
                    SystemPrompt = e.String("systemPrompt"),
                    Prompt = e.String("prompt"),
                    History = ParseMessages(e.Array("historyMessages")),
                    ToolDescriptions = ParseToolDescriptions(e.Array("tools")),
                };
            case HookNames.LlmOutput:
                return new LlmOutputEvent(hook, time, ctx, position)
                {
                    ResolvedRef = e.String("resolvedRef"),
                    AssistantTexts = ParseStrings(e.Array("assistantTexts")),
                    LastAssistant = ParseMessage(e.Object("lastAssistant")),
                    Usage = ParseOpenClawUsage(e.Object("usage")),
                };
            case HookNames.ModelCallStarted:
            case HookNames.ModelCallEnded:
                return new ModelCallEvent(hook, time, ctx, position, hook == HookNames.ModelCallEnded)
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
                };
            case HookNames.AgentEnd:
                return new AgentEndEvent(hook, time, ctx, position)
                {
                    Success = e.Bool("success"),
                    Error = e.String("error"),
                    DurationMs = e.Int64("durationMs"),
                };
            case HookNames.BeforeToolCall:
            case HookNames.AfterToolCall:
                return ParseToolCall(hook, time, ctx, position, e);
            case HookNames.ToolResultPersist:
                return new ToolResultPersistEvent(hook, time, ctx, position)
                {
                    ToolCallId = e.String("toolCallId") ?? ctx.ToolCallId,
                    ToolName = e.String("toolName") ?? ctx.ToolName,
                    Message = ParseMessage(e.Object("message")),
                    IsSynthetic = e.Bool("isSynthetic") == true,
                };
            case HookNames.BeforeMessageWrite:
                return ParseMessage(e.Object("message")) is { } message ? new MessageWriteEvent(hook, time, ctx, position, message) : null;
            case HookNames.SubagentSpawned:
            case HookNames.SubagentProgress:
            case HookNames.SubagentEnded:
                return ParseSubagent(hook, time, ctx, position, e);
            case HookNames.ProviderCall:
                return ParseProviderCall(hook, time, ctx, position, e);
            default:
                return null;
        }
    }

    private static ToolCallEvent ParseToolCall(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        var details = e.Object("result").Object("details");
        return new ToolCallEvent(hook, time, ctx, position, hook == HookNames.AfterToolCall)
        {
            RunId = e.String("runId") ?? ctx.RunId,
            ToolCallId = e.String("toolCallId") ?? ctx.ToolCallId,
            ToolName = e.String("toolName") ?? ctx.ToolName ?? "tool",
            ParamsJson = e.RawJson("params"),
            ResultJson = e.RawJson("result"),
            Error = ErrorMessage(e),
            DurationMs = e.Int64("durationMs"),
            ExitCode = details.Int64("exitCode"),
            SpawnedRunId = details.String("runId"),
            SpawnedSessionKey = details.String("childSessionKey"),
        };
    }

    private static SubagentEvent ParseSubagent(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        var kind = hook switch
        {
            HookNames.SubagentSpawned => SubagentHook.Spawned,
            HookNames.SubagentProgress => SubagentHook.Progress,
            _ => SubagentHook.Ended,
        };
        return new SubagentEvent(hook, time, ctx, position, kind)
        {
            ChildRunId = e.String("runId") ?? e.String("childRunId") ?? ctx.RunId,
            ChildSessionKey = e.String("childSessionKey") ?? e.String("targetSessionKey") ?? ctx.ChildSessionKey,
            RequesterSessionKey = e.String("requesterSessionKey") ?? ctx.RequesterSessionKey,
            AgentId = e.String("agentId"),
            Label = e.String("label"),
            Mode = e.String("mode"),
            Phase = e.String("phase"),
            Outcome = e.String("outcome"),
            Reason = e.String("reason"),
            TargetKind = e.String("targetKind"),
            Error = e.String("error"),
            EndedAt = e.UnixMs("endedAt"),
        };
    }

    private static HookEvent? ParseProviderCall(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
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
                ? ParseMessages(request.Array("messages"))
                : null,
            Output = ParseMessage(e.Object("output")),
            ErrorMessage = ErrorMessage(e),
            ErrorType = error.String("type") ?? error.String("code") ?? (error.Int64("status") is { } status ? "http_" + status : null)
                ?? e.String("errorType"),
        };
    }

    /// <summary><c>error</c> as a string, or the <c>message</c> of an <c>error</c> object.</summary>
    private static string? ErrorMessage(JsonElement e) => e.String("error") ?? e.Object("error").String("message");

    internal static IReadOnlyList<TranscriptMessage> ParseMessages(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<TranscriptMessage>();
        }

        var messages = new List<TranscriptMessage>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            if (ParseMessage(item) is { } message)
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>
    /// Reads a transcript message in OpenClaw's shape (content blocks <c>text</c>/<c>toolCall</c>/<c>image</c>/<c>thinking</c>)
    /// or the OpenAI chat shape (<c>content</c> string or parts, <c>tool_calls</c>), as the provider_call record uses.
    /// </summary>
    internal static TranscriptMessage? ParseMessage(JsonElement m)
    {
        if (m.ValueKind != JsonValueKind.Object || m.String("role") is not { } role)
        {
            return null;
        }

        string? text = null;
        List<TranscriptToolCall>? toolCalls = null;
        if (m.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                text = content.GetString();
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                StringBuilder? builder = null;
                foreach (var block in content.EnumerateArray())
                {
                    if (block.ValueKind == JsonValueKind.String)
                    {
                        Append(ref builder, block.GetString());
                        continue;
                    }

                    switch (block.String("type"))
                    {
                        case "text":
                        case "input_text":
                        case "output_text":
                            Append(ref builder, block.String("text"));
                            break;
                        case "image":
                        case "image_url":
                            Append(ref builder, "[image]");
                            break;
                        case "toolCall":
                            (toolCalls ??= new()).Add(new TranscriptToolCall(block.String("id"), block.String("name") ?? "tool",
                                ArgumentsText(block, "arguments")));
                            break;
                    }
                }

                text = builder?.ToString();
            }
        }

        var openAiCalls = m.Array("tool_calls");
        if (openAiCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in openAiCalls.EnumerateArray())
            {
                var function = call.Object("function");
                (toolCalls ??= new()).Add(new TranscriptToolCall(call.String("id"), function.String("name") ?? "tool",
                    ArgumentsText(function, "arguments")));
            }
        }

        return new TranscriptMessage
        {
            Role = role,
            Text = text,
            ToolCalls = toolCalls,
            ToolCallId = m.String("toolCallId") ?? m.String("tool_call_id"),
            ToolName = m.String("toolName") ?? m.String("name"),
            IsError = m.Bool("isError"),
            StopReason = m.String("stopReason"),
            ResponseId = m.String("responseId"),
            ErrorMessage = m.String("errorMessage"),
            ErrorType = m.String("errorType"),
            ErrorCode = m.String("errorCode"),
            Model = m.String("model"),
            Provider = m.String("provider"),
            CustomType = m.String("customType"),
            Timestamp = m.UnixMs("timestamp"),
            Usage = ParseOpenClawUsage(m.Object("usage")),
            ExitCode = m.Object("details").Int64("exitCode"),
        };
    }

    private static string? ArgumentsText(JsonElement owner, string name)
    {
        if (owner.ValueKind != JsonValueKind.Object || !owner.TryGetProperty(name, out var arguments))
        {
            return null;
        }

        return arguments.ValueKind switch
        {
            JsonValueKind.String => arguments.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => arguments.GetRawText(),
        };
    }

    private static void Append(ref StringBuilder? builder, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (builder is null)
        {
            builder = new StringBuilder(text);
        }
        else
        {
            builder.Append('\n').Append(text);
        }
    }

    internal static OpenClawUsage? ParseOpenClawUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var cost = usage.Object("cost");
        return new OpenClawUsage(
            usage.Int64("input"),
            usage.Int64("output"),
            usage.Int64("cacheRead"),
            usage.Int64("cacheWrite"),
            usage.Int64("reasoningTokens"),
            usage.Int64("totalTokens") ?? usage.Int64("total"),
            cost.Decimal("input"),
            cost.Decimal("output"),
            cost.Decimal("cacheRead"),
            cost.Decimal("cacheWrite"),
            cost.Decimal("total"));
    }

    private static IReadOnlyList<string> ParseStrings(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Array.Empty<string>();
        }

        var list = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text)
            {
                list.Add(text);
            }
        }

        return list;
    }

    private static IReadOnlyDictionary<string, string>? ParseToolDescriptions(JsonElement tools)
    {
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        Dictionary<string, string>? map = null;
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.String("name") is { } name && tool.String("description") is { } description)
            {
                (map ??= new(StringComparer.Ordinal))[name] = description;
            }
        }

        return map;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(new[] { '\r', '\n' });
        return newline < 0 ? message : message[..newline];
    }
}
