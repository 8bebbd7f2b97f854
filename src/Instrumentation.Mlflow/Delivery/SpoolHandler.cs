using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// With durable export on: a request that still fails after its retries for a reason that may pass (no connection, no
/// answer, 408, 429, 5xx), or that shutdown left unsent, is written to <see cref="DurableSpool"/> and answered 200 to the
/// exporter, so the traces count as kept on disk rather than lost. Sits between <see cref="ObservingHandler"/> and
/// <see cref="RetryHandler"/>.
/// </summary>
internal sealed class SpoolHandler : DelegatingHandler
{
    private readonly DeliveryContext _context;
    private readonly DurableSpool _spool;

    public SpoolHandler(DeliveryContext context, DurableSpool spool, HttpMessageHandler inner)
        : base(inner)
    {
        _context = context;
        _spool = spool;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ExportCall.Current;
        if (call is null)
        {
            return base.Send(request, cancellationToken);
        }

        if (call.PersistOnly)
        {
            return Keep(request, call, "the shutdown time ran out before it was sent") ?? throw new HttpRequestException("The request could not be kept on disk.");
        }

        try
        {
            return base.Send(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.IO.IOException or OperationCanceledException or RetryHandler.WindowExhaustedException or Polly.Timeout.TimeoutRejectedException)
        {
            var why = ex is RetryHandler.WindowExhaustedException exhausted
                ? exhausted.LastFailure.Message
                : FailureClassifier.FromException(ex, _context.Options.AttemptTimeout, _context.Abandoned.IsCancellationRequested).Message;
            var kept = Keep(request, call, why);
            if (kept is null)
            {
                throw;
            }

            return kept;
        }
    }

    // The exporter sends synchronously wherever HttpClient.Send is supported (not Android, iOS, browser), so the
    // asynchronous path only has to be correct, not fast.
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    private HttpResponseMessage? Keep(HttpRequestMessage request, ExportCall call, string why)
    {
        if (!_spool.TryStore(request, call))
        {
            return null;
        }

        call.Persisted = true;
        call.PersistReason = why;
        return new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(Array.Empty<byte>()) };
    }
}
