using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Benchmarks.Targets;
using Microsoft.Extensions.AI;
using static Instrumentation.Benchmarks.HandWritten.HandWrittenSource;

namespace Instrumentation.Benchmarks.HandWritten;

/// <summary>
/// The baseline of the LLM benchmarks: the best hand-written tracing of <see cref="ChatModel.CompleteAsync"/>, recording
/// the span the generated <c>[LlmCall]</c> wrapper records: LLM span type, kind Client, operation, requested and answering
/// model, provider, response id, finish reasons, <c>mlflow.chat.tokenUsage</c> and <c>gen_ai.usage.*</c>, and the
/// request and answer as OpenAI-shaped chat JSON (<c>mlflow.message.format</c> = <c>openai</c>). It writes the JSON
/// straight from the Microsoft.Extensions.AI objects with index loops (no intermediate records, no enumerators).
/// </summary>
public sealed class HandWrittenChat
{
    private const string SpanName = "CompleteAsync";
    private const string Model = "gpt-4o-mini";
    private const string Provider = "openai";

    private static readonly JsonSerializerOptions s_json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ChatModel _model;

    public HandWrittenChat(ChatModel model) => _model = model;

    public Task<ChatResponse> CompleteAsync(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken = default)
    {
        if (!Source.HasListeners())
        {
            return _model.CompleteAsyncCore(messages, options, cancellationToken);
        }

        var activity = Source.StartActivity(SpanName, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("mlflow.spanType", "LLM");
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.request.model", Model);
            activity.SetTag("mlflow.llm.model", Model);
            activity.SetTag("gen_ai.provider.name", Provider);
            activity.SetTag("mlflow.llm.provider", Provider);
            if (CaptureContent)
            {
                activity.SetTag("mlflow.spanInputs", ChatInputs(messages, options.ModelId ?? Model));
                activity.SetTag("mlflow.message.format", "openai");
            }
        }

        Task<ChatResponse> task;
        try
        {
            task = _model.CompleteAsyncCore(messages, options, cancellationToken);
        }
        catch (Exception ex)
        {
            Fail(activity, ex);
            throw;
        }

        if (task.IsCompletedSuccessfully)
        {
            EndSpan(activity, task.Result);
            return task;
        }

        Activity.Current = activity?.Parent;
        return AwaitAsync(activity, task);

        static async Task<ChatResponse> AwaitAsync(Activity? activity, Task<ChatResponse> task)
        {
            try
            {
                var response = await task.ConfigureAwait(false);
                EndSpan(activity, response);
                return response;
            }
            catch (Exception ex)
            {
                Fail(activity, ex);
                throw;
            }
        }
    }

    private static void EndSpan(Activity? activity, ChatResponse response)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            if (response.Usage is { } usage)
            {
                var json = PooledJson.Main;
                var writer = json.Writer;
                writer.WriteStartObject();
                WriteCount(writer, "input_tokens", usage.InputTokenCount);
                WriteCount(writer, "output_tokens", usage.OutputTokenCount);
                WriteCount(writer, "total_tokens", usage.TotalTokenCount ?? usage.InputTokenCount + usage.OutputTokenCount);
                WriteCount(writer, "cache_read_input_tokens", usage.CachedInputTokenCount);
                writer.WriteEndObject();
                activity.SetTag("mlflow.chat.tokenUsage", json.ToStringAndReset());
                SetCount(activity, "gen_ai.usage.input_tokens", usage.InputTokenCount);
                SetCount(activity, "gen_ai.usage.output_tokens", usage.OutputTokenCount);
                SetCount(activity, "gen_ai.usage.cache_read.input_tokens", usage.CachedInputTokenCount);
                SetCount(activity, "gen_ai.usage.reasoning.output_tokens", usage.ReasoningTokenCount);
            }

            if (response.ModelId is { } model)
            {
                activity.SetTag("gen_ai.response.model", model);
                activity.SetTag("mlflow.llm.model", model);
            }

            if (response.ResponseId is { } id)
            {
                activity.SetTag("gen_ai.response.id", id);
            }

            var finishReason = response.FinishReason?.Value;
            if (finishReason is not null)
            {
                activity.SetTag("gen_ai.response.finish_reasons", new[] { finishReason });
            }

            if (CaptureContent)
            {
                activity.SetTag("mlflow.spanOutputs", ChatOutput(response.Messages, finishReason));
                activity.SetTag("mlflow.message.format", "openai");
            }
        }

        activity.SetStatus(ActivityStatusCode.Ok);
        activity.Stop();
    }

    /// <summary><c>{"messages":[{"role":..,"content":..,"tool_calls":[..]},..],"model":..}</c>; a function result is its own
    /// <c>tool</c> message.</summary>
    private static string ChatInputs(IList<ChatMessage> messages, string model)
    {
        var json = PooledJson.Main;
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteStartArray("messages");
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var contents = message.Contents;
            string? text = null;
            var calls = 0;
            for (var j = 0; j < contents.Count; j++)
            {
                switch (contents[j])
                {
                    case TextContent part:
                        text = text is null ? part.Text : text + part.Text;
                        break;
                    case FunctionCallContent:
                        calls++;
                        break;
                    case FunctionResultContent result:
                        writer.WriteStartObject();
                        writer.WriteString("role", "tool");
                        WriteContent(writer, result.Result);
                        writer.WriteString("tool_call_id", result.CallId);
                        writer.WriteEndObject();
                        break;
                }
            }

            if (text is not null || calls > 0)
            {
                WriteMessage(writer, message.Role.Value, text, message.AuthorName, calls > 0 ? contents : null);
            }
        }

        writer.WriteEndArray();
        writer.WriteString("model", model);
        writer.WriteEndObject();
        return json.ToStringAndReset();
    }

    /// <summary><c>{"choices":[{"index":0,"message":{..},"finish_reason":..}]}</c> from the assistant messages.</summary>
    private static string ChatOutput(IList<ChatMessage> messages, string? finishReason)
    {
        string? text = null;
        IList<AIContent>? callContents = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role != ChatRole.Assistant)
            {
                continue;
            }

            var contents = message.Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                if (contents[j] is TextContent part)
                {
                    text = text is null ? part.Text : text + part.Text;
                }
                else if (contents[j] is FunctionCallContent)
                {
                    callContents = contents; // one assistant message with calls, the usual case
                }
            }
        }

        var json = PooledJson.Main;
        var writer = json.Writer;
        writer.WriteStartObject();
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WritePropertyName("message");
        WriteMessage(writer, "assistant", text, null, callContents);
        if (finishReason is not null)
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        return json.ToStringAndReset();
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, string? text, string? name, IList<AIContent>? callContents)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteString("content", text); // null text writes null
        if (name is not null)
        {
            writer.WriteString("name", name);
        }

        if (callContents is not null)
        {
            writer.WriteStartArray("tool_calls");
            for (var k = 0; k < callContents.Count; k++)
            {
                if (callContents[k] is not FunctionCallContent call)
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("id", call.CallId);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", ArgumentsJson(call.Arguments));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull("content");
                break;
            case string text:
                writer.WriteString("content", text);
                break;
            default:
                writer.WritePropertyName("content");
                writer.WriteStringValue(JsonSerializer.Serialize(value, s_json));
                break;
        }
    }

    /// <summary>The arguments as JSON text, written on the second pooled writer: strings directly, other values through
    /// the serializer.</summary>
    public static string ArgumentsJson(IDictionary<string, object?>? arguments)
    {
        var json = PooledJson.Scratch;
        var writer = json.Writer;
        writer.WriteStartObject();
        if (arguments is Dictionary<string, object?> dictionary)
        {
            foreach (var (key, value) in dictionary) // the struct enumerator: no allocation
            {
                WriteArgument(writer, key, value);
            }
        }
        else if (arguments is not null)
        {
            foreach (var (key, value) in arguments)
            {
                WriteArgument(writer, key, value);
            }
        }

        writer.WriteEndObject();
        return json.ToStringAndReset();
    }

    private static void WriteArgument(Utf8JsonWriter writer, string key, object? value)
    {
        if (value is string text)
        {
            writer.WriteString(key, text);
        }
        else
        {
            writer.WritePropertyName(key);
            JsonSerializer.Serialize(writer, value, s_json);
        }
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
    }

    private static void SetCount(Activity activity, string key, long? value)
    {
        if (value is { } count)
        {
            activity.SetTag(key, count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
        activity.Stop();
    }
}
