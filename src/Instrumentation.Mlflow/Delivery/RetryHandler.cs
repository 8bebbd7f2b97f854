using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// Retries one OTLP request inside the exporter's <see cref="HttpClient"/>, with Polly: connection failures, attempts
/// without an answer within <see cref="MlflowDeliveryOptions.AttemptTimeout"/>, 408, 429 and 5xx (not 501) are tried
/// again with exponential backoff and jitter, or after the server's <c>Retry-After</c>, until
/// <see cref="MlflowDeliveryOptions.RetryWindow"/> has passed since the first attempt. Stops at once when shutdown time
/// runs out (<see cref="DeliveryContext.Abandoned"/>). The OTLP exporter sends synchronously, so both
/// <see cref="Send"/> and <see cref="SendAsync"/> run the same pipeline.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<DeliveryFailure?> LastFailureKey = new("mlflow.lastFailure");

    private readonly DeliveryContext _context;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryHandler(DeliveryContext context, HttpMessageHandler inner)
        : base(inner)
    {
        _context = context;
        var options = context.Options;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.RetryWindow })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .Handle<System.IO.IOException>()
                    .HandleResult(r => FailureClassifier.IsRetryable(r.StatusCode)),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.FirstRetryDelay,
                MaxDelay = options.MaxRetryDelay,
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, options.RetryWindow)),
                OnRetry = args =>
                {
                    var failure = args.Outcome.Result is { } response
                        ? FailureClassifier.FromResponse(response)
                        : FailureClassifier.FromException(args.Outcome.Exception!, options.AttemptTimeout, abandoned: false);
                    args.Context.Properties.Set(LastFailureKey, failure);
                    _context.Retried(failure.Message, args.AttemptNumber + 2, args.RetryDelay);
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout })
            .Build();
    }

    /// <summary>The failure of the last attempt before the retry window ran out, kept for the report.</summary>
    internal sealed class WindowExhaustedException : Exception
    {
        public WindowExhaustedException(DeliveryFailure lastFailure, Exception inner)
            : base(lastFailure.Message, inner)
        {
            LastFailure = lastFailure;
        }

        public DeliveryFailure LastFailure { get; }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _context.Abandoned);
        var resilience = ResilienceContextPool.Shared.Get(linked.Token);
        try
        {
            return _pipeline.Execute(static (ctx, state) => state.Handler.SendOnce(state.Request, ctx.CancellationToken), resilience, (Handler: this, Request: request));
        }
        catch (TimeoutRejectedException ex) when (resilience.Properties.TryGetValue(LastFailureKey, out var last) && last is not null)
        {
            throw new WindowExhaustedException(last, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _context.Abandoned);
        var resilience = ResilienceContextPool.Shared.Get(linked.Token);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => new ValueTask<HttpResponseMessage>(state.Handler.SendOnceAsync(state.Request, ctx.CancellationToken)),
                resilience, (Handler: this, Request: request)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex) when (resilience.Properties.TryGetValue(LastFailureKey, out var last) && last is not null)
        {
            throw new WindowExhaustedException(last, ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(resilience);
        }
    }

    private HttpResponseMessage SendOnce(HttpRequestMessage request, CancellationToken token) => base.Send(request, token);

    private Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken token) => base.SendAsync(request, token);

    /// <summary>The server's <c>Retry-After</c> (seconds or an HTTP date), capped at the retry window; <see langword="null"/>
    /// (use the backoff) when there is none.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
    }
}
