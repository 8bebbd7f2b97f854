using System;
using System.Diagnostics;
using System.Globalization;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Mlflow.GenAi;

/// <summary>
/// The attributes MLflow reads, derived from a GenAI semantic-convention span's own (see
/// <see cref="GenAiSpanProcessor"/> for the list). Only adds MLflow keys, except on agent spans, whose usage aggregate is
/// moved so that MLflow does not count it a second time (docs/mlflow-contract.md §3).
/// </summary>
internal static class GenAiSpanTranslation
{
    /// <summary>The prefix the usage aggregate of an agent or grouping span moves to:
    /// <c>instrumentation.aggregate_usage.</c> (<c>instrumentation.aggregate_usage.input_tokens</c>, …).</summary>
    public const string AggregateUsagePrefix = "instrumentation.aggregate_usage.";

    private const string InputMessages = "gen_ai.input.messages";
    private const string OutputMessages = "gen_ai.output.messages";
    private const string SystemInstructions = "gen_ai.system_instructions";
    private const string ToolDefinitions = "gen_ai.tool.definitions";
    private const string ToolCallArguments = "gen_ai.tool.call.arguments";
    private const string ToolCallResult = "gen_ai.tool.call.result";
    private const string ChatTools = "mlflow.chat.tools";

    private static readonly string[] UsageKeys =
    {
        GenAiAttributes.UsageInputTokens, GenAiAttributes.UsageOutputTokens, GenAiAttributes.UsageCacheReadInputTokens,
        GenAiAttributes.UsageCacheCreationInputTokens, GenAiAttributes.UsageReasoningOutputTokens,
    };

    public static void Apply(Activity span, string operation)
    {
        var type = GenAiSpanTypes.ForOperation(operation) ?? MlflowSpanTypes.Unknown;
        span.SetTag(MlflowAttributes.SpanType, type);
        switch (type)
        {
            case MlflowSpanTypes.Llm:
                ApplyLlm(span);
                break;
            case MlflowSpanTypes.Agent:
                ApplyAgent(span);
                break;
            case MlflowSpanTypes.Tool:
                ApplyTool(span);
                break;
        }

        if (Text(span, GenAiAttributes.ConversationId) is { } conversation)
        {
            SetSessionOnRoot(span, conversation);
        }
    }

    private static void ApplyLlm(Activity span)
    {
        var model = Text(span, GenAiAttributes.ResponseModel) ?? Text(span, GenAiAttributes.RequestModel);
        SetIfPresent(span, MlflowAttributes.LlmModel, model);
        SetIfPresent(span, MlflowAttributes.LlmProvider, Text(span, GenAiAttributes.ProviderName));
        SetIfPresent(span, MlflowAttributes.ChatTokenUsage, UsageJson(span));
        SetIfPresent(span, ChatTools, GenAiMessages.ToolDefinitions(Text(span, ToolDefinitions)));

        var inputs = Text(span, InputMessages);
        var outputs = Text(span, OutputMessages);
        if (inputs is null && outputs is null)
        {
            return; // content not captured (the library's sensitive-data switch is off): nothing for the chat view
        }

        var chatInputs = GenAiMessages.ChatInputs(Text(span, SystemInstructions), inputs, Text(span, GenAiAttributes.RequestModel));
        var chatOutputs = GenAiMessages.ChatOutputs(outputs);
        SetIfPresent(span, MlflowAttributes.SpanInputs, chatInputs);
        SetIfPresent(span, MlflowAttributes.SpanOutputs, chatOutputs);
        if (chatInputs is not null || chatOutputs is not null)
        {
            span.SetTag(MlflowAttributes.MessageFormat, MlflowAttributes.OpenAiMessageFormat);
        }
    }

    /// <summary>
    /// Moves <c>gen_ai.usage.*</c> of a span that sums its children's model calls (an agent run, a tool loop) to
    /// <see cref="AggregateUsagePrefix"/>: MLflow adds up the usage of every span, so it would count those calls twice.
    /// </summary>
    public static void MoveAggregateUsage(Activity span)
    {
        foreach (var key in UsageKeys)
        {
            if (span.GetTagItem(key) is { } value)
            {
                span.SetTag(AggregateUsagePrefix + key["gen_ai.usage.".Length..], value);
                span.SetTag(key, null);
            }
        }
    }

    private static void ApplyAgent(Activity span)
    {
        MoveAggregateUsage(span);

        if (Text(span, InputMessages) is { } inputs)
        {
            SetIfPresent(span, MlflowAttributes.SpanInputs, GenAiMessages.ChatInputs(Text(span, SystemInstructions), inputs, model: null));
        }

        if (GenAiMessages.LastAssistantText(Text(span, OutputMessages)) is { } answer)
        {
            span.SetTag(MlflowAttributes.SpanOutputs, GenAiMessages.String(answer));
        }
    }

    private static void ApplyTool(Activity span)
    {
        SetIfPresent(span, MlflowAttributes.SpanInputs, GenAiMessages.ToolInputs(Text(span, ToolCallArguments)));
        if (Text(span, ToolCallResult) is { } result)
        {
            span.SetTag(MlflowAttributes.SpanOutputs, GenAiMessages.AsJson(result));
        }
    }

    /// <summary><c>{"input_tokens":N,"output_tokens":N,"total_tokens":N}</c> plus the cache counts when present, or
    /// <see langword="null"/> without input and output counts.</summary>
    private static string? UsageJson(Activity span)
    {
        if (Count(span, GenAiAttributes.UsageInputTokens) is not { } input || Count(span, GenAiAttributes.UsageOutputTokens) is not { } output)
        {
            return null;
        }

        var json = FormattableString.Invariant($"{{\"input_tokens\":{input},\"output_tokens\":{output},\"total_tokens\":{input + output}");
        if (Count(span, GenAiAttributes.UsageCacheReadInputTokens) is { } cacheRead)
        {
            json += FormattableString.Invariant($",\"cache_read_input_tokens\":{cacheRead}");
        }

        if (Count(span, GenAiAttributes.UsageCacheCreationInputTokens) is { } cacheCreation)
        {
            json += FormattableString.Invariant($",\"cache_creation_input_tokens\":{cacheCreation}");
        }

        return json + "}";
    }

    /// <summary>MLflow reads the session from the trace's root only: the local root, while it is still running, or this
    /// span when it is the root. A session already there wins.</summary>
    private static void SetSessionOnRoot(Activity span, string conversation)
    {
        var root = span;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        if ((ReferenceEquals(root, span) || !root.IsStopped) && root.GetTagItem(CommonAttributes.SessionId) is null)
        {
            root.SetTag(CommonAttributes.SessionId, conversation);
        }
    }

    private static long? Count(Activity span, string key) => span.GetTagItem(key) switch
    {
        int value => value,
        long value => value,
        string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        _ => null,
    };

    private static string? Text(Activity span, string key) => span.GetTagItem(key) is string { Length: > 0 } text ? text : null;

    private static void SetIfPresent(Activity span, string key, string? value)
    {
        if (value is not null)
        {
            span.SetTag(key, value);
        }
    }
}
