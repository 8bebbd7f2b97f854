using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Extensions.AI.FunctionCalls;
using Instrumentation.Runtime.Llm;
using Instrumentation.Runtime.Spans;
using Instrumentation.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI;

/// <summary>
/// The chat client <see cref="MlflowTracingChatClientBuilderExtensions.UseMlflowTracing"/> adds. Where it sits decides
/// what it records (docs/extensions-ai.md, "Placement"):
/// <list type="bullet">
/// <item>With no <see cref="FunctionInvokingChatClient"/> inside it (the usual placement, after
/// <c>UseFunctionInvocation()</c>): every call it forwards is one model call and gets an LLM span. A function-invoking
/// client outside it asks it for an <see cref="ActivitySource"/>, Microsoft.Extensions.AI's way of finding the telemetry
/// of a pipeline, and gets <see cref="FunctionInvocationHook.Source"/>, through which each function call it makes
/// becomes a TOOL span.</item>
/// <item>With a function-invoking client inside it (placed before <c>UseFunctionInvocation()</c>): one call here is a
/// whole tool loop, not a model call, so it records no LLM span (its usage would repeat the model calls' usage); it
/// wraps that client's <see cref="FunctionInvokingChatClient.FunctionInvoker"/>, so each function call is a TOOL span.</item>
/// </list>
/// </summary>
internal sealed class MlflowTracingChatClient : DelegatingChatClient
{
    private readonly bool _aroundFunctionInvocation;
    private readonly string? _provider;
    private readonly string? _defaultModel;
    private SpanName? _lastName;

    public MlflowTracingChatClient(IChatClient innerClient, string? providerName)
        : base(innerClient)
    {
        FunctionInvocationHook.Sync();
        if (innerClient.GetService<FunctionInvokingChatClient>() is { } invoking)
        {
            _aroundFunctionInvocation = true;
            FunctionInvokerWrapper.Install(invoking);
        }

        var metadata = innerClient.GetService<ChatClientMetadata>();
        _provider = metadata?.ProviderName ?? providerName;
        _defaultModel = metadata?.DefaultModelId;
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        FunctionInvocationHook.Sync();
        return _aroundFunctionInvocation || !WrapperSpans.IsLlmCallEnabled
            ? base.GetResponseAsync(messages, options, cancellationToken)
            : TraceResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        FunctionInvocationHook.Sync();
        return _aroundFunctionInvocation || !WrapperSpans.IsLlmCallEnabled
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : TraceStreamAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ActivitySource) && !_aroundFunctionInvocation
            ? FunctionInvocationHook.Source
            : base.GetService(serviceType, serviceKey);
    }

    private async Task<ChatResponse> TraceResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var span = Start(ref messages, options);
        try
        {
            var decision = WrapperSpans.BeginCall<ChatResponse>(span);
            var response = decision.IsContinue
                ? await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)
                : WrapperSpans.Resolve<ChatResponse>(decision);
            global::Instrumentation.Generated.MicrosoftExtensionsAIAdapter.RecordResponse(span, response);
            return response;
        }
        catch (Exception exception)
        {
            span.SetError(exception);
            throw;
        }
        finally
        {
            span.End();
        }
    }

    private async IAsyncEnumerable<ChatResponseUpdate> TraceStreamAsync(IEnumerable<ChatMessage> messages, ChatOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Started when enumeration starts, as a streamed [LlmCall] is: a stream nobody reads leaves no span behind.
        var span = Start(ref messages, options);

        // A policy cannot substitute a stream (there is no response object to stand in for one), only block it.
        var decision = WrapperSpans.BeginCall<LlmCallDecision>(span);
        var recorder = StreamRecorder<ChatResponseUpdate>.For(span, adapted: true);
        var outcome = StreamOutcome.Abandoned;
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            try
            {
                if (!decision.IsContinue)
                {
                    WrapperSpans.Resolve<object>(decision);
                }

                updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception exception)
            {
                outcome = StreamOutcome.Failed;
                span.SetError(exception);
                throw;
            }

            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    // Each step runs on the consumer's flow; making the span current again nests what the model client
                    // starts (an HTTP span) under it.
                    WrapperSpans.MakeCurrent(span);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        outcome = StreamOutcome.Completed;
                        break;
                    }

                    update = updates.Current;
                }
                catch (Exception exception)
                {
                    outcome = StreamOutcome.Failed;
                    span.SetError(exception);
                    throw;
                }

                global::Instrumentation.Generated.MicrosoftExtensionsAIAdapter.RecordUpdate(recorder.Chat!, update);
                recorder.OnItem(update);
                yield return update;
            }
        }
        finally
        {
            try
            {
                if (updates is not null)
                {
                    await updates.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                recorder.Complete(outcome);
                span.End();
            }
        }
    }

    /// <summary>Starts the LLM span and records the request. A conversation that is not a collection is read once, here,
    /// and the same messages are sent on, so a lazy sequence is never enumerated twice.</summary>
    private LlmSpan Start(ref IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var model = options?.ModelId ?? _defaultModel;
        var span = LlmSpan.Start(NameFor(model), model, _provider);
        if (span.NeedsMessages && messages is not ICollection<ChatMessage> and not IReadOnlyCollection<ChatMessage>)
        {
            try
            {
                messages = messages.ToList();
            }
            catch (Exception exception)
            {
                // The sequence's own failure, which the model client would have met reading it: the caller gets it
                // unchanged, and the span ends as an error rather than staying open.
                span.SetError(exception);
                span.End();
                throw;
            }
        }

        global::Instrumentation.Generated.MicrosoftExtensionsAIAdapter.RecordRequest(span, messages, options, model);
        return span;
    }

    /// <summary>The GenAI semantic-convention span name, <c>chat {model}</c>; the last one is kept, since a client
    /// nearly always calls one model.</summary>
    private string NameFor(string? model)
    {
        if (model is null)
        {
            return "chat";
        }

        var last = _lastName;
        if (last is not null && string.Equals(last.Model, model, StringComparison.Ordinal))
        {
            return last.Name;
        }

        var name = new SpanName(model, "chat " + model);
        _lastName = name;
        return name.Name;
    }

    private sealed record SpanName(string Model, string Name);
}
