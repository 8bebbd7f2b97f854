using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OpenTelemetry.PersistentStorage.FileSystem;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// Durable export (<see cref="MlflowDeliveryOptions.DurableDirectory"/>): OTLP requests that could not be delivered are
/// kept as blobs of OpenTelemetry.PersistentStorage.FileSystem's <c>FileBlobProvider</c> and sent again, to the
/// experiment they were meant for, by a background pass at start and every 30 seconds while the provider runs.
/// </summary>
/// <remarks>
/// A blob is one header line, <c>mlflow-otlp/1 TAB traces TAB spans TAB content-encoding TAB experiment id TAB run id</c>
/// (escaped, <c>-</c> for none), then the request body exactly as the OTLP exporter serialized it: nothing here writes
/// protobuf.
/// </remarks>
internal sealed class DurableSpool : IDisposable
{
    private const string Magic = "mlflow-otlp/1";
    private const int LeaseMilliseconds = 60_000;
    private static readonly TimeSpan PassInterval = TimeSpan.FromSeconds(30);

    private readonly FileBlobProvider _blobs;
    private readonly DeliveryContext _context;
    private readonly CancellationTokenSource _stop = new();
    private Task? _resending;

    private DurableSpool(FileBlobProvider blobs, string directory, DeliveryContext context)
    {
        _blobs = blobs;
        Directory = directory;
        _context = context;
    }

    public string Directory { get; }

    /// <summary>Opens the directory, or reports on the EventSource why it cannot be used and returns null (the export
    /// then runs without durable storage).</summary>
    public static DurableSpool? TryOpen(DeliveryContext context, string directory)
    {
        try
        {
            var full = Path.GetFullPath(directory);
            System.IO.Directory.CreateDirectory(full);

            // Kept for a week; the provider's own maintenance removes older blobs and expired leases.
            var blobs = new FileBlobProvider(full, context.Options.DurableMaxBytes, 120_000, 7L * 24 * 3600 * 1000, 60_000);
            return new DurableSpool(blobs, full, context);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            DeliveryEventSource.Log.DurableStorageFailed(directory, ex.Message);
            return null;
        }
    }

    /// <summary>Keeps a request for the next start; false when it cannot be stored (disk full, size bound).</summary>
    public bool TryStore(HttpRequestMessage request, ExportCall call)
    {
        try
        {
            var body = request.Content!.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            var encoding = request.Content.Headers.ContentEncoding.Count > 0 ? string.Join(",", request.Content.Headers.ContentEncoding) : null;
            var header = string.Join('\t', Magic, call.Traces.ToString(CultureInfo.InvariantCulture), call.Spans.ToString(CultureInfo.InvariantCulture),
                Escape(encoding), Escape(_context.ExperimentId), Escape(_context.RunId)) + "\n";
            var headerBytes = Encoding.UTF8.GetBytes(header);
            var blob = new byte[headerBytes.Length + body.Length];
            headerBytes.CopyTo(blob, 0);
            body.CopyTo(blob, headerBytes.Length);
            return _blobs.TryCreateBlob(new ReadOnlySpan<byte>(blob), out _);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or HttpRequestException)
        {
            DeliveryEventSource.Log.DurableStorageFailed(Directory, ex.Message);
            return false;
        }
    }

    /// <summary>Starts the background passes that send stored requests through <paramref name="sender"/> (the retrying
    /// client chain, without the spool).</summary>
    public void StartResending(HttpMessageInvoker sender, AuthenticationHeaderValue? authorization)
    {
        _resending = Task.Run(() => ResendLoopAsync(sender, authorization, _stop.Token));
    }

    /// <summary>One pass over the stored requests; returns how many were delivered. For tests and the loop.</summary>
    internal async Task<int> ResendOnceAsync(HttpMessageInvoker sender, AuthenticationHeaderValue? authorization, CancellationToken token)
    {
        var delivered = 0;
        foreach (var blob in _blobs.GetBlobs())
        {
            token.ThrowIfCancellationRequested();
            if (!blob.TryLease(LeaseMilliseconds) || !blob.TryRead(out var bytes) || bytes is null)
            {
                continue;
            }

            if (!TryParse(bytes, out var stored))
            {
                blob.TryDelete();
                continue;
            }

            using var request = stored.ToRequest(_context.Endpoint, authorization);
            HttpResponseMessage response;
            try
            {
                response = await sender.SendAsync(request, token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or RetryHandler.WindowExhaustedException or Polly.Timeout.TimeoutRejectedException)
            {
                // Still down: the blob stays (its lease expires) for the next pass.
                return delivered;
            }

            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    blob.TryDelete();
                    delivered++;
                    _context.Resent(stored.Traces, stored.Spans);
                }
                else if (!FailureClassifier.IsRetryable(response.StatusCode))
                {
                    // MLflow will never take it (the experiment was deleted, say): counted lost, not kept forever.
                    blob.TryDelete();
                    _context.Lost(FailureClassifier.FromResponse(response), stored.Traces, stored.Spans);
                }
            }
        }

        return delivered;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _resending?.Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
        }

        _blobs.Dispose();
        _stop.Dispose();
    }

    private async Task ResendLoopAsync(HttpMessageInvoker sender, AuthenticationHeaderValue? authorization, CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                await ResendOnceAsync(sender, authorization, token).ConfigureAwait(false);
                await Task.Delay(PassInterval, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Escape(string? value) => value is null ? "-" : Uri.EscapeDataString(value);

    private static string? Unescape(string value) => value == "-" ? null : Uri.UnescapeDataString(value);

    private static bool TryParse(byte[] blob, out StoredRequest stored)
    {
        stored = default;
        var newline = Array.IndexOf(blob, (byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        var fields = Encoding.UTF8.GetString(blob, 0, newline).Split('\t');
        if (fields.Length != 6 || fields[0] != Magic
            || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var traces)
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var spans)
            || Unescape(fields[4]) is not { } experimentId)
        {
            return false;
        }

        stored = new StoredRequest(traces, spans, Unescape(fields[3]), experimentId, Unescape(fields[5]), new ReadOnlyMemory<byte>(blob, newline + 1, blob.Length - newline - 1));
        return true;
    }

    private readonly record struct StoredRequest(int Traces, int Spans, string? ContentEncoding, string ExperimentId, string? RunId, ReadOnlyMemory<byte> Body)
    {
        public HttpRequestMessage ToRequest(Uri endpoint, AuthenticationHeaderValue? authorization)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ReadOnlyMemoryContent(Body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            if (ContentEncoding is not null)
            {
                request.Content.Headers.ContentEncoding.Add(ContentEncoding);
            }

            request.Headers.Add("x-mlflow-experiment-id", ExperimentId);
            if (RunId is not null)
            {
                request.Headers.Add("x-mlflow-run-id", RunId);
            }

            request.Headers.Authorization = authorization;
            return request;
        }
    }
}
