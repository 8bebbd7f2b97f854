using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// A model call in progress: MLflow span type <c>LLM</c>, span kind Client, <c>gen_ai.operation.name</c> =
/// <c>chat</c> by default. Adds model, response and token usage recording to what <see cref="LiveSpan"/> does.
/// Fail-open and allocation-free like <see cref="LiveSpan"/>.
/// </summary>
public readonly struct LlmSpan : IDisposable
{
    private LlmSpan(LiveSpan span)
    {
        Span = span;
    }

    /// <summary>The common span operations (inputs, outputs, errors, end).</summary>
    public LiveSpan Span { get; }

    /// <summary>The activity behind the span, or <see langword="null"/> when nothing records it.</summary>
    public Activity? Activity => Span.Activity;

    /// <summary>Whether the span records attributes.</summary>
    public bool IsRecording => Span.IsRecording;

    /// <summary>Whether the span records content (inputs, outputs, messages).</summary>
    public bool CapturesContent => Span.CapturesContent;

    /// <summary>Starts a model-call span.</summary>
    /// <param name="name">The span name shown in MLflow.</param>
    /// <param name="model">The requested model: <c>gen_ai.request.model</c>, and <c>mlflow.llm.model</c> until
    /// <see cref="SetResponse"/> names the model that answered.</param>
    /// <param name="provider">The provider: <c>mlflow.llm.provider</c> and <c>gen_ai.provider.name</c>.</param>
    /// <param name="operation">The <c>gen_ai.operation.name</c>: <c>chat</c>, <c>text_completion</c> or <c>embeddings</c>.</param>
    /// <param name="startTime">When the call started, for a replayed span. Default: now.</param>
    /// <param name="parent">The parent context. Default: <see cref="System.Diagnostics.Activity.Current"/>.</param>
    public static LlmSpan Start(string name, string? model = null, string? provider = null,
        string operation = GenAiAttributes.Operations.Chat, DateTimeOffset startTime = default, ActivityContext parent = default)
    {
        var activity = SpanFactory.Start(name, MlflowSpanTypes.Llm, ActivityKind.Client, startTime, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAiAttributes.OperationName, operation);
            activity.SetTag(GenAiAttributes.RequestModel, model);
            activity.SetTag(MlflowAttributes.LlmModel, model);
            activity.SetTag(GenAiAttributes.ProviderName, provider);
            activity.SetTag(MlflowAttributes.LlmProvider, provider);
        }

        return new LlmSpan(new LiveSpan(activity));
    }

    /// <summary>
    /// Records what the response says about itself. Arguments left <see langword="null"/> change nothing.
    /// </summary>
    /// <param name="model">The model that answered: <c>gen_ai.response.model</c> and <c>mlflow.llm.model</c>.</param>
    /// <param name="responseId">The provider's response id: <c>gen_ai.response.id</c>.</param>
    /// <param name="finishReason">Why the model stopped (<c>stop</c>, <c>tool_calls</c>, <c>length</c>, ...):
    /// <c>gen_ai.response.finish_reasons</c>.</param>
    public void SetResponse(string? model = null, string? responseId = null, string? finishReason = null)
    {
        if (Activity is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        if (model is not null)
        {
            activity.SetTag(GenAiAttributes.ResponseModel, model);
            activity.SetTag(MlflowAttributes.LlmModel, model);
        }

        if (responseId is not null)
        {
            activity.SetTag(GenAiAttributes.ResponseId, responseId);
        }

        if (finishReason is not null)
        {
            activity.SetTag(GenAiAttributes.ResponseFinishReasons, new[] { finishReason });
        }
    }

    /// <summary>Names the provider once known (for example inferred from the response type).</summary>
    public void SetProvider(string? provider)
    {
        if (provider is not null && Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(GenAiAttributes.ProviderName, provider);
            activity.SetTag(MlflowAttributes.LlmProvider, provider);
        }
    }

    /// <summary>
    /// Records token usage: <c>mlflow.chat.tokenUsage</c> (the JSON object MLflow sums into the trace's token total)
    /// and the <c>gen_ai.usage.*</c> attributes. Counts are in tokens, in the unit rule of <see cref="TokenUsage"/>.
    /// </summary>
    public void SetUsage(in TokenUsage usage)
    {
        if (Activity is not { IsAllDataRequested: true } activity || !usage.HasAny)
        {
            return;
        }

        try
        {
            activity.SetTag(MlflowAttributes.ChatTokenUsage, UsageJson(usage));
            SetCount(activity, GenAiAttributes.UsageInputTokens, usage.InputTokens);
            SetCount(activity, GenAiAttributes.UsageOutputTokens, usage.OutputTokens);
            SetCount(activity, GenAiAttributes.UsageCacheReadInputTokens, usage.CacheReadInputTokens);
            SetCount(activity, GenAiAttributes.UsageCacheCreationInputTokens, usage.CacheCreationInputTokens);
            SetCount(activity, GenAiAttributes.UsageReasoningOutputTokens, usage.ReasoningOutputTokens);
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording token usage on " + activity.DisplayName, ex);
        }
    }

    /// <summary>Records the call's cost in USD as <c>mlflow.llm.cost</c>.</summary>
    public void SetCost(in LlmCost cost)
    {
        if (Activity is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            writer.WriteNumber("input_cost", cost.InputCost);
            writer.WriteNumber("output_cost", cost.OutputCost);
            writer.WriteNumber("total_cost", cost.TotalCost);
            writer.WriteEndObject();
            activity.SetTag(MlflowAttributes.LlmCost, buffer.ToUtf8String());
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording cost on " + activity.DisplayName, ex);
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>
    /// Records the request as MLflow's chat inputs, <c>{"messages":[..],"model":..}</c> in the OpenAI shape, and sets
    /// <c>mlflow.message.format</c> = <c>openai</c> so MLflow renders the chat view. Nothing is recorded when content
    /// capture is off.
    /// </summary>
    /// <param name="messages">The conversation the model is sent, in order.</param>
    /// <param name="model">The requested model, repeated in the inputs as OpenAI requests carry it.</param>
    public void SetChatInputs(IReadOnlyList<RecordedChatMessage> messages, string? model = null)
    {
        if (Activity is not { IsAllDataRequested: true } activity || AgentTelemetry.Settings is not { CaptureContent: true } settings)
        {
            return;
        }

        try
        {
            activity.SetTag(MlflowAttributes.SpanInputs, ChatJson.Inputs(messages, model, settings));
            activity.SetTag(MlflowAttributes.MessageFormat, MlflowAttributes.OpenAiMessageFormat);
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording chat inputs on " + activity.DisplayName, ex);
        }
    }

    /// <summary>
    /// Records the model's answer as MLflow's chat output,
    /// <c>{"choices":[{"index":0,"message":{..},"finish_reason":..}]}</c> in the OpenAI shape.
    /// </summary>
    /// <param name="message">The assistant message, with any tool calls.</param>
    /// <param name="finishReason">Why the model stopped, as the provider reports it.</param>
    public void SetChatOutput(RecordedChatMessage message, string? finishReason = null)
    {
        if (Activity is not { IsAllDataRequested: true } activity || AgentTelemetry.Settings is not { CaptureContent: true } settings)
        {
            return;
        }

        try
        {
            activity.SetTag(MlflowAttributes.SpanOutputs, ChatJson.Output(message, finishReason, settings));
            activity.SetTag(MlflowAttributes.MessageFormat, MlflowAttributes.OpenAiMessageFormat);
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording chat output on " + activity.DisplayName, ex);
        }
    }

    /// <summary>
    /// Records the time to the first chunk of a streaming response: <c>gen_ai.response.time_to_first_chunk</c> (seconds),
    /// <c>instrumentation.llm.time_to_first_chunk_ms</c> (milliseconds) and a <c>gen_ai.first_chunk</c> event at that moment.
    /// </summary>
    /// <param name="elapsed">Time from the span's start to the first chunk.</param>
    public void SetTimeToFirstChunk(TimeSpan elapsed)
    {
        if (Activity is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        activity.SetTag(GenAiAttributes.ResponseTimeToFirstChunk, elapsed.TotalSeconds);
        activity.SetTag(InstrumentationAttributes.TimeToFirstChunkMs, elapsed.TotalMilliseconds);
        activity.AddEvent(new ActivityEvent(InstrumentationAttributes.FirstChunkEvent, new DateTimeOffset(activity.StartTimeUtc + elapsed)));
    }

    /// <inheritdoc cref="LiveSpan.SetAttribute"/>
    public void SetAttribute(string key, object? value) => Span.SetAttribute(key, value);

    /// <inheritdoc cref="LiveSpan.SetError(string, string?)"/>
    public void SetError(string errorType, string? message) => Span.SetError(errorType, message);

    /// <inheritdoc cref="LiveSpan.BeginInputs"/>
    public SpanInputs? BeginInputs() => Span.BeginInputs();

    /// <inheritdoc cref="LiveSpan.SetInputs"/>
    public void SetInputs(SpanInputs? inputs) => Span.SetInputs(inputs);

    /// <inheritdoc cref="LiveSpan.SetOutput"/>
    public void SetOutput<T>(T value) => Span.SetOutput(value);

    /// <inheritdoc cref="LiveSpan.SetOutputPlaceholder"/>
    public void SetOutputPlaceholder(string typeName) => Span.SetOutputPlaceholder(typeName);

    /// <inheritdoc cref="LiveSpan.SetError(Exception)"/>
    public void SetError(Exception exception) => Span.SetError(exception);

    /// <inheritdoc cref="LiveSpan.Detach"/>
    public void Detach() => Span.Detach();

    /// <inheritdoc cref="LiveSpan.End"/>
    public void End(DateTimeOffset endTime = default) => Span.End(endTime);

    /// <inheritdoc cref="LiveSpan.Dispose"/>
    public void Dispose() => Span.End();

    private static void SetCount(Activity activity, string key, long? value)
    {
        if (value is { } count)
        {
            activity.SetTag(key, count);
        }
    }

    internal static string UsageJson(in TokenUsage usage)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            WriteCount(writer, "input_tokens", usage.InputTokens);
            WriteCount(writer, "output_tokens", usage.OutputTokens);
            WriteCount(writer, "total_tokens", usage.EffectiveTotalTokens);
            WriteCount(writer, "cache_read_input_tokens", usage.CacheReadInputTokens);
            WriteCount(writer, "cache_creation_input_tokens", usage.CacheCreationInputTokens);
            writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    private static void WriteCount(System.Text.Json.Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } count)
        {
            writer.WriteNumber(name, count);
        }
    }
}
