using System;
using System.Collections.Generic;
using System.Text.Json;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Llm;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.Runtime.Chat;

/// <summary>
/// Helpers generated <c>[LlmCall]</c> wrappers and SDK adapters call to describe requests and responses. Public so
/// generated code in your assembly can reach them; you rarely call them yourself.
/// </summary>
public static class ChatRequests
{
    /// <summary>Records a prompt string as a one-message conversation: <c>{"messages":[{"role":"user","content":prompt}]}</c>.</summary>
    public static void RecordPrompt(LlmSpan span, string? prompt, string? model)
    {
        if (span.NeedsMessages)
        {
            span.SetChatRequest(new[] { new RecordedChatMessage("user", prompt) }, model);
        }
    }

    /// <summary>
    /// Records the tools offered to the model as <c>mlflow.chat.tools</c>, the list of OpenAI function tools MLflow's chat
    /// view shows beside the conversation (see <see cref="MlflowAttributes.ChatTools"/>). Nothing is recorded when content
    /// capture is off or the list is empty. Never throws.
    /// </summary>
    /// <param name="span">The model call's span.</param>
    /// <param name="tools">The function tools, in the order offered.</param>
    public static void RecordTools(LlmSpan span, IReadOnlyList<RecordedTool> tools)
    {
        if (tools is not { Count: > 0 } || !span.CapturesContent || span.Activity is not { } activity)
        {
            return;
        }

        try
        {
            activity.SetTag(MlflowAttributes.ChatTools, ChatJson.Tools(tools));
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording the offered tools on " + activity.DisplayName, ex);
        }
    }

    /// <summary>Records a response of a type that implements <see cref="ILlmResponse"/>. Never throws: a member that
    /// throws is reported and the rest is skipped.</summary>
    public static void RecordResponse(LlmSpan span, ILlmResponse? response)
    {
        try
        {
            RecordCustomResponse(span, response);
        }
        catch (System.Exception ex)
        {
            AgentTelemetry.ReportInternalError("reading an ILlmResponse", ex);
        }
    }

    private static void RecordCustomResponse(LlmSpan span, ILlmResponse? response)
    {
        if (response is null)
        {
            return;
        }

        span.SetResponseObject(response);
        span.SetUsage(response.Usage, response);
        span.SetResponse(response.Model, response.ResponseId, response.FinishReason);
        if (response.OutputMessage is { } message)
        {
            span.SetChatOutput(message, response.FinishReason);
        }
        else
        {
            span.SetOutput(response);
        }
    }

    /// <summary>
    /// The text of a content value for a chat message: a string as is, a JSON string unquoted, anything else as JSON
    /// (a tool result object, say). Never throws.
    /// </summary>
    public static string? ContentText(object? value) => value switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
        JsonElement json => json.GetRawText(),
        _ => SpanJson.ToJson(value, AgentTelemetry.Settings),
    };

    /// <summary>
    /// Serializes tool-call arguments to JSON text, capped at <see cref="AgentTelemetryOptions.MaxValueBytes"/>; never
    /// throws. A string-keyed map (Microsoft.Extensions.AI's <c>FunctionCallContent.Arguments</c>, an
    /// <c>IDictionary&lt;string, object?&gt;</c>) becomes a JSON object with the names as the model wrote them, never
    /// renamed by a configured dictionary key policy; anything else (Anthropic's tool input, say) is serialized as is.
    /// </summary>
    public static string ArgumentsJson<T>(T arguments) => arguments is IDictionary<string, object?> map
        ? SpanJson.MapToJson(map, AgentTelemetry.Settings)
        : SpanJson.ToJson(arguments, AgentTelemetry.Settings);

    /// <summary>Starts a conversation list to fill.</summary>
    public static List<RecordedChatMessage> NewConversation() => new();
}
