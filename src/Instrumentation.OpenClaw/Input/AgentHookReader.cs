using System;
using System.Collections.Generic;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads the hooks of a run and its attempts (docs/openclaw-hooks.md §2, §4): the run phases
/// (<c>before_agent_reply</c> ... <c>before_agent_finalize</c>), <c>llm_input</c>, <c>llm_output</c> and <c>agent_end</c>.
/// </summary>
internal static class AgentHookReader
{
    /// <summary>The event of an agent-family hook; <see langword="null"/> for a hook of another family.</summary>
    public static HookEvent? Read(string hook, DateTimeOffset time, HookContext ctx, SourcePosition position, JsonElement e) => hook switch
    {
        HookNames.BeforeAgentReply => new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeAgentReply, e.String("cleanedBody")),
        HookNames.BeforeModelResolve => new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeModelResolve, e.String("prompt")),
        HookNames.AgentTurnPrepare => new RunPhaseEvent(hook, time, ctx, position, RunPhase.AgentTurnPrepare, null),
        HookNames.BeforePromptBuild => new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforePromptBuild, null),
        HookNames.BeforeAgentRun => new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeAgentRun, null),
        HookNames.BeforeAgentFinalize => new RunPhaseEvent(hook, time, ctx, position, RunPhase.BeforeAgentFinalize, null),
        HookNames.LlmInput => new LlmInputEvent(hook, time, ctx, position)
        {
            Provider = e.String("provider"),
            Model = e.String("model"),
            SystemPrompt = e.String("systemPrompt"),
            Prompt = e.String("prompt"),
            History = TranscriptMessageReader.ParseMessages(e.Array("historyMessages")),
            ToolDescriptions = ParseToolDescriptions(e.Array("tools")),
        },
        HookNames.LlmOutput => new LlmOutputEvent(hook, time, ctx, position)
        {
            ResolvedRef = e.String("resolvedRef"),
            AssistantTexts = ParseStrings(e.Array("assistantTexts")),
            LastAssistant = TranscriptMessageReader.ParseMessage(e.Object("lastAssistant")),
            Usage = TranscriptMessageReader.ParseOpenClawUsage(e.Object("usage")),
        },
        HookNames.AgentEnd => new AgentEndEvent(hook, time, ctx, position)
        {
            Success = e.Bool("success"),
            Error = e.String("error"),
            DurationMs = e.Int64("durationMs"),
        },
        _ => null,
    };

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
}
