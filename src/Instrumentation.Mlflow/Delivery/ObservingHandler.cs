using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// The outermost handler of the exporter's <see cref="HttpClient"/>: records on the current <see cref="ExportCall"/>
/// what finally happened to the request, after retries: accepted, kept on disk, or why it was lost (an error answer
/// with its status, or no answer and why). The OTLP exporter itself only returns success or failure.
/// </summary>
internal sealed class ObservingHandler : DelegatingHandler
{
    private readonly DeliveryContext _context;

    public ObservingHandler(DeliveryContext context, HttpMessageHandler inner)
        : base(inner)
    {
        _context = context;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = ExportCall.Current;
        if (call is not null)
        {
            call.Sent = true;
        }

        try
        {
            var response = base.Send(request, cancellationToken);
            Observe(call, response);
            return response;
        }
        catch (Exception ex) when (call is not null)
        {
            call.Failure = Classify(ex);
            throw;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read before the first await: the slot is thread-static and the exporter's async path starts on this thread.
        var call = ExportCall.Current;
        if (call is not null)
        {
            call.Sent = true;
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Observe(call, response);
            return response;
        }
        catch (Exception ex) when (call is not null)
        {
            call.Failure = Classify(ex);
            throw;
        }
    }

    private static void Observe(ExportCall? call, HttpResponseMessage response)
    {
        if (call is not null && !response.IsSuccessStatusCode)
        {
            call.Failure = FailureClassifier.FromResponse(response);
        }
    }

    private DeliveryFailure Classify(Exception exception) =>
        exception is RetryHandler.WindowExhaustedException exhausted
            ? exhausted.LastFailure
            : FailureClassifier.FromException(exception, _context.Options.AttemptTimeout, _context.Abandoned.IsCancellationRequested);
}
