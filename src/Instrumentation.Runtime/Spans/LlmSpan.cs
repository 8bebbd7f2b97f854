using System;
using System.Collections.Generic;
using System.Diagnostics;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Llm;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// A model call in progress: MLflow span type <c>LLM</c>, span kind Client, <c>gen_ai.operation.name</c> =
/// <c>chat</c> by default. Adds model, response, token usage and chat recording to what <see cref="LiveSpan"/> does,
/// and drives the provider-call middleware (<see cref="LlmCallObservers"/>). Fail-open like <see cref="LiveSpan"/>.
/// </summary>
public readonly struct LlmSpan : IDisposable
{
    private readonly LlmCallRecorder? _call;

    private LlmSpan(LiveSpan span, LlmCallRecorder? call)
    {
        Span = span;
        _call = call;
    }

    /// <summary>
    /// Whether an <c>[LlmCall]</c> wrapper has anything to do: a listener on <see cref="AgentTelemetry.Source"/>, or an
    /// observer registered with <see cref="LlmCallObservers"/>.
    /// </summary>
    internal static bool IsEnabled => AgentTelemetry.IsEnabled || LlmCallObservers.HasAny;

    /// <summary>
    /// The LLM span of the <c>[LlmCall]</c> running on this flow: <see cref="System.Diagnostics.Activity.Current"/> when it
    /// is one of this library's LLM spans, otherwise a default instance that does nothing. Lets a body add what only it
    /// knows, such as the cost: <c>LlmSpan.Current.SetCost(...)</c>.
    /// </summary>
    public static LlmSpan Current =>
        System.Diagnostics.Activity.Current is { } activity && ReferenceEquals(activity.Source, AgentTelemetry.Source)
            && activity.GetTagItem(MlflowAttributes.SpanType) is MlflowSpanTypes.Llm
            ? new LlmSpan(new LiveSpan(activity), activity.GetCustomProperty(CallStateProperty) as LlmCallRecorder)
            : default;

    private const string CallStateProperty = "Instrumentation.LlmCallState";

    /// <summary>The common span operations (inputs, outputs, errors, end).</summary>
    public LiveSpan Span { get; }

    /// <summary>The activity behind the span, or <see langword="null"/> when nothing records it.</summary>
    public Activity? Activity => Span.Activity;

    /// <summary>Whether the span records attributes.</summary>
    public bool IsRecording => Span.IsRecording;

    /// <summary>Whether the span records content (inputs, outputs, messages).</summary>
    public bool CapturesContent => Span.CapturesContent;

    /// <summary>Whether describing the request and the answer as chat messages is worth its cost: content is captured, or
    /// observers are watching (<see cref="SetChatRequest"/>, <see cref="SetChatOutput"/>).</summary>
    public bool NeedsMessages => _call is not null || Span.CapturesContent;

    /// <summary>The id observers see for this call (<see cref="LlmCallInfo.CallId"/>), or <see langword="null"/> when
    /// nobody observes it.</summary>
    public string? CallId => _call?.Info.CallId;

    /// <summary>Starts a model-call span.</summary>
    /// <param name="name">The span name shown in MLflow.</param>
    /// <param name="model">The requested model: <c>gen_ai.request.model</c>, and <c>mlflow.llm.model</c> until
    /// <see cref="SetResponse"/> names the model that answered.</param>
    /// <param name="provider">The provider: <c>mlflow.llm.provider</c> and <c>gen_ai.provider.name</c>.</param>
    /// <param name="operation">The <c>gen_ai.operation.name</c>: <c>chat</c>, <c>text_completion</c> or <c>embeddings</c>.</param>
    /// <param name="startTime">When the call started, for a replayed span (observers never see replayed calls).
    /// Default: now.</param>
    /// <param name="parent">The parent context. Default: <see cref="System.Diagnostics.Activity.Current"/>.</param>
    public static LlmSpan Start(string name, string? model = null, string? provider = null,
        string operation = GenAiAttributes.Operations.Chat, DateTimeOffset startTime = default, ActivityContext parent = default)
    {
        var activity = SpanFactory.Start(name, MlflowSpanTypes.Llm, ActivityKind.Client, startTime, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAiAttributes.OperationName, operation);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.RequestModel, model);
            SpanFactory.SetIfPresent(activity, MlflowAttributes.LlmModel, model);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.ProviderName, provider);
            SpanFactory.SetIfPresent(activity, MlflowAttributes.LlmProvider, provider);
        }

        var call = startTime == default ? LlmCallRecorder.Start(activity, name, model, provider) : null;
        if (call is not null)
        {
            activity?.SetCustomProperty(CallStateProperty, call);
        }

        return new LlmSpan(new LiveSpan(activity), call);
    }

    /// <summary>
    /// Describes the request: records it as MLflow's chat inputs (<c>{"messages":[..],"model":..}</c> in the OpenAI shape,
    /// with <c>mlflow.message.format</c> = <c>openai</c>) when content is captured, and hands it to observers.
    /// </summary>
    /// <param name="messages">The conversation the model is sent, in order.</param>
    /// <param name="model">The requested model, repeated in the inputs as OpenAI requests carry it.</param>
    /// <param name="toolSchemas">The tool definitions offered to the model as text (names and JSON schemas), fingerprinted
    /// for observers; <see langword="null"/> when none are offered.</param>
    public void SetChatRequest(IReadOnlyList<RecordedChatMessage> messages, string? model = null, string? toolSchemas = null)
    {
        SetChatInputs(messages, model);
        _call?.RecordRequest(messages, toolSchemas);
    }

    /// <summary>
    /// Tells observers the call is about to be sent and asks the policies whether it may be: the <c>before</c> phase.
    /// Returns <see cref="LlmCallDecision.Continue"/> when nothing observes the call.
    /// </summary>
    /// <typeparam name="T">The method's result type; a policy's substitute response of another type is ignored.</typeparam>
    internal LlmCallDecision BeginCall<T>()
    {
        if (_call is not { } call)
        {
            return LlmCallDecision.Continue;
        }

        try
        {
            return call.Decide<T>();
        }
        catch (Exception ex)
        {
            FailOpen.Report("running LLM call policies for " + call.Info.SpanName, ex);
            return LlmCallDecision.Continue;
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
    /// <c>{"choices":[{"index":0,"message":{..},"finish_reason":..}]}</c> in the OpenAI shape, and gives its tool calls and
    /// finish reason to observers.
    /// </summary>
    /// <param name="message">The assistant message, with any tool calls.</param>
    /// <param name="finishReason">Why the model stopped, as the provider reports it.</param>
    public void SetChatOutput(RecordedChatMessage message, string? finishReason = null)
    {
        _call?.RecordOutput(message, finishReason);

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
    /// Records what the response says about itself. Arguments left <see langword="null"/> change nothing.
    /// </summary>
    /// <param name="model">The model that answered: <c>gen_ai.response.model</c> and <c>mlflow.llm.model</c>.</param>
    /// <param name="responseId">The provider's response id: <c>gen_ai.response.id</c>.</param>
    /// <param name="finishReason">Why the model stopped (<c>stop</c>, <c>tool_calls</c>, <c>length</c>, ...):
    /// <c>gen_ai.response.finish_reasons</c>.</param>
    public void SetResponse(string? model = null, string? responseId = null, string? finishReason = null)
    {
        _call?.RecordResponse(model, responseId, finishReason);

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

    /// <summary>Names the provider once known (for example inferred from the response type), unless already named.</summary>
    public void SetProvider(string? provider)
    {
        if (provider is not null && Activity is { IsAllDataRequested: true } activity && activity.GetTagItem(MlflowAttributes.LlmProvider) is null)
        {
            activity.SetTag(GenAiAttributes.ProviderName, provider);
            activity.SetTag(MlflowAttributes.LlmProvider, provider);
        }
    }

    /// <summary>
    /// Records token usage: <c>mlflow.chat.tokenUsage</c> (the JSON object MLflow sums into the trace's token total)
    /// and the <c>gen_ai.usage.*</c> attributes. Counts are in tokens, in the unit rule of <see cref="TokenUsage"/>.
    /// </summary>
    /// <param name="usage">The counts.</param>
    /// <param name="providerUsage">The provider's own usage object, passed to observers with all its detail.</param>
    public void SetUsage(in TokenUsage usage, object? providerUsage = null)
    {
        _call?.RecordUsage(usage, providerUsage);

        if (Activity is not { IsAllDataRequested: true } activity || !usage.HasAny)
        {
            return;
        }

        try
        {
            activity.SetTag(MlflowAttributes.ChatTokenUsage, MlflowTokenUsageJson.Write(usage));
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

        try
        {
            activity.SetTag(MlflowAttributes.LlmCost, MlflowCostJson.Write(cost));
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording cost on " + activity.DisplayName, ex);
        }
    }

    /// <summary>
    /// Records the time to the first chunk of a streaming response: <c>gen_ai.response.time_to_first_chunk</c> (seconds),
    /// <c>instrumentation.llm.time_to_first_chunk_ms</c> (milliseconds) and a <c>gen_ai.first_chunk</c> event at that moment.
    /// </summary>
    /// <param name="elapsed">Time from the span's start to the first chunk.</param>
    public void SetTimeToFirstChunk(TimeSpan elapsed)
    {
        _call?.RecordTimeToFirstChunk(elapsed);

        if (Activity is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        activity.SetTag(GenAiAttributes.ResponseTimeToFirstChunk, elapsed.TotalSeconds);
        activity.SetTag(InstrumentationAttributes.TimeToFirstChunkMs, elapsed.TotalMilliseconds);
        activity.AddEvent(new ActivityEvent(InstrumentationAttributes.FirstChunkEvent, new DateTimeOffset(activity.StartTimeUtc + elapsed)));
    }

    /// <summary>
    /// Notes one chunk of a streaming response as it arrives: the first sets the time to first chunk; each goes to the
    /// observers' <c>chunk</c> phase.
    /// </summary>
    /// <param name="chunk">The chunk as the body yielded it.</param>
    /// <param name="index">The chunk's position, from 0.</param>
    internal void RecordChunk(object? chunk, int index)
    {
        if (index == 0)
        {
            var elapsed = _call?.Elapsed ?? (Activity is { } activity ? DateTime.UtcNow - activity.StartTimeUtc : (TimeSpan?)null);
            if (elapsed is { } value)
            {
                SetTimeToFirstChunk(value);
            }
        }

        _call?.RecordChunk(chunk, index);
    }

    /// <summary>Gives observers the response object in the <c>after</c> phase.</summary>
    public void SetResponseObject(object? response)
    {
        _call?.RecordResponseObject(response);
    }

    /// <inheritdoc cref="LiveSpan.SetAttribute"/>
    public void SetAttribute(string key, object? value) => Span.SetAttribute(key, value);

    /// <inheritdoc cref="LiveSpan.SetError(Exception)"/>
    public void SetError(Exception exception)
    {
        _call?.RecordError(exception);

        Span.SetError(exception!);
    }

    /// <inheritdoc cref="LiveSpan.SetError(string, string?)"/>
    public void SetError(string errorType, string? message)
    {
        _call?.RecordError(errorType, message);

        Span.SetError(errorType, message);
    }

    /// <inheritdoc cref="LiveSpan.SetOutput"/>
    public void SetOutput<T>(T value) => Span.SetOutput(value);

    /// <summary>Ends the span (see <see cref="LiveSpan.End"/>) and gives observers the call's one terminal phase:
    /// <c>after</c>, or <c>error</c> when an error was recorded. Calling it again does nothing.</summary>
    /// <param name="endTime">When the call ended, for a replayed span. Default: now.</param>
    public void End(DateTimeOffset endTime = default)
    {
        Span.End(endTime);
        _call?.Finish();
    }

    /// <summary>Ends the span now (see <see cref="End"/>).</summary>
    public void Dispose() => End();

    private static void SetCount(Activity activity, string key, long? value)
    {
        if (value is { } count)
        {
            activity.SetTag(key, count);
        }
    }
}
