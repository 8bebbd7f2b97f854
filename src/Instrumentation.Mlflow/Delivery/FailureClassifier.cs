using System;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using Polly.Timeout;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>Turns an HTTP answer or a transport exception into a <see cref="DeliveryFailure"/> with a sentence a person
/// understands, and says which failures are worth retrying.</summary>
internal static class FailureClassifier
{
    private const int MaxBodyExcerpt = 300;

    /// <summary>408, 429 and 5xx except 501 (MLflow's file store, which never accepts traces) are retried.</summary>
    public static bool IsRetryable(HttpStatusCode status)
    {
        var code = (int)status;
        return code is 408 or 429 || (code >= 500 && code != 501 && code != 505);
    }

    public static DeliveryFailure FromResponse(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = string.Format(CultureInfo.InvariantCulture, "MLflow answered {0} {1}", status, response.ReasonPhrase ?? string.Empty).TrimEnd();
        if (ReadExcerpt(response) is { Length: > 0 } body)
        {
            text += ": " + body;
        }

        return new DeliveryFailure(MlflowLossReason.Rejected, status, text);
    }

    public static DeliveryFailure FromException(Exception exception, TimeSpan attemptTimeout, bool abandoned)
    {
        if (abandoned)
        {
            return new DeliveryFailure(MlflowLossReason.ShutdownTimeout, 0, "the shutdown time ran out while sending");
        }

        return new DeliveryFailure(MlflowLossReason.Unreachable, 0, Describe(exception, attemptTimeout));
    }

    public static string Describe(Exception exception, TimeSpan attemptTimeout)
    {
        if (exception is TimeoutRejectedException)
        {
            return string.Format(CultureInfo.InvariantCulture, "no answer within {0:0.###} s", attemptTimeout.TotalSeconds);
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    _ => "network error: " + socket.SocketErrorCode,
                };
            }
        }

        if (exception is HttpRequestException http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.ResponseEnded => "the connection closed before MLflow answered",
                HttpRequestError.NameResolutionError => "host not found",
                HttpRequestError.ConnectionError => "connection failed",
                HttpRequestError.SecureConnectionError => "TLS handshake failed",
                _ => http.Message,
            };
        }

        return exception is IOException ? "the connection closed before MLflow answered" : exception.GetType().Name + ": " + exception.Message;
    }

    private static string? ReadExcerpt(HttpResponseMessage response)
    {
        try
        {
            using var stream = response.Content.ReadAsStream();
            var buffer = new byte[MaxBodyExcerpt * 4];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
            }

            var text = Encoding.UTF8.GetString(buffer, 0, read).ReplaceLineEndings(" ").Trim();
            return text.Length > MaxBodyExcerpt ? text[..MaxBodyExcerpt] + "…" : text;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
        {
            return null;
        }
    }
}
