using System;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Input;

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

    /// <summary>The event of a hook the replay reads, by family; <see langword="null"/> for any other hook.</summary>
    private static HookEvent? ParseEvent(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e)
    {
        if (hook == HookNames.BeforeMessageWrite)
        {
            return TranscriptMessageReader.ParseMessage(e.Object("message")) is { } message
                ? new MessageWriteEvent(hook, time, ctx, position, message)
                : null;
        }

        return AgentHookReader.Read(hook, time, ctx, position, e)
            ?? ModelCallHookReader.Read(hook, time, ctx, position, e)
            ?? ToolHookReader.Read(hook, time, ctx, position, e)
            ?? SubagentHookReader.Read(hook, time, ctx, position, e);
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(new[] { '\r', '\n' });
        return newline < 0 ? message : message[..newline];
    }
}
