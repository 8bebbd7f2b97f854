using System;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Instrumentation.Mlflow.Configuration;
using Polly;
using Polly.Retry;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>What the tracking server says about a trace that was sent before a process stopped.</summary>
internal enum TraceArrival
{
    /// <summary>The server holds the trace, with the span looked for.</summary>
    Arrived,

    /// <summary>The server holds no such trace, or the trace without the span looked for: it was never accepted.</summary>
    Absent,

    /// <summary>The server could not be asked, or answered something else: whether it arrived is not known.</summary>
    Unknown,
}

/// <summary>The answer of <see cref="DeliveredTraces.Check"/>: the arrival and, when it is unknown, why.</summary>
internal readonly record struct TraceArrivalAnswer(TraceArrival Arrival, string? Problem);

/// <summary>
/// Asks the tracking server whether a trace arrived: for a process that sent a trace and stopped before it recorded the
/// answer (the OpenClaw bridge's <c>follow</c> checkpoint), so that on restart it neither sends the trace again when it
/// arrived nor loses it when it did not. One <c>GET api/3.0/mlflow/traces/get?trace_id=tr-&lt;32 hex&gt;</c> (MLflow
/// derives that id from the OTLP trace id; docs/mlflow-contract.md), retried with backoff while the server cannot be
/// reached or answers 5xx. MLflow writes the spans of one OTLP request in one transaction, and the exporter sends a
/// trace in one request, so a trace it holds is whole.
/// </summary>
internal static class DeliveredTraces
{
    /// <summary>Whether the trace <paramref name="traceId"/> arrived with a span whose attribute
    /// <paramref name="attributeKey"/> is <paramref name="attributeValue"/> (the span the sender wrote; a trace id alone
    /// would also match spans sent to the same trace later, in another request).</summary>
    /// <param name="rest">The server, as the exporter reaches it.</param>
    /// <param name="traceId">The OTLP trace id.</param>
    /// <param name="attributeKey">A string attribute of the span looked for.</param>
    /// <param name="attributeValue">Its value, as it was set (MLflow may store it JSON-encoded; both forms match).</param>
    /// <param name="attempts">Calls made at most while the server cannot be reached or answers 408, 429 or 5xx (not 501):
    /// 500 ms apart, doubling.</param>
    public static TraceArrivalAnswer Check(RestAccess rest, ActivityTraceId traceId, string attributeKey, string attributeValue, int attempts = 4)
    {
        ArgumentNullException.ThrowIfNull(rest);
        using var client = rest.CreateClient();
        var mlflowTraceId = "tr-" + traceId.ToHexString();
        if (attempts <= 1)
        {
            return Ask(client, mlflowTraceId, attributeKey, attributeValue).Answer;
        }

        // Retried while the server cannot be reached or answers 429 or 5xx; an answer such as 401 will not change.
        var pipeline = new ResiliencePipelineBuilder<(TraceArrivalAnswer Answer, bool Retryable)>()
            .AddRetry(new RetryStrategyOptions<(TraceArrivalAnswer Answer, bool Retryable)>
            {
                ShouldHandle = new PredicateBuilder<(TraceArrivalAnswer Answer, bool Retryable)>().HandleResult(a => a.Retryable),
                MaxRetryAttempts = attempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(500),
            })
            .Build();
        return pipeline.Execute(() => Ask(client, mlflowTraceId, attributeKey, attributeValue)).Answer;
    }

    private static (TraceArrivalAnswer Answer, bool Retryable) Ask(MlflowRestClient client, string mlflowTraceId, string attributeKey, string attributeValue)
    {
        RestResponse response;
        try
        {
            response = client.GetTrace(mlflowTraceId);
        }
        catch (RestTransportException ex)
        {
            return (new(TraceArrival.Unknown, $"{client.AddressOf(MlflowRestClient.GetTracePath)}: {ex.Message}"), true);
        }

        if (response.Status == HttpStatusCode.NotFound)
        {
            return (new(TraceArrival.Absent, null), false);
        }

        if (!response.IsSuccess || response.Json is not { } json)
        {
            var retryable = FailureClassifier.IsRetryable(response.Status);
            return (new(TraceArrival.Unknown, $"{client.AddressOf(MlflowRestClient.GetTracePath)} answered {response.Describe()}"), retryable);
        }

        return (new(HasSpan(json, attributeKey, attributeValue) ? TraceArrival.Arrived : TraceArrival.Absent, null), false);
    }

    /// <summary>Whether <c>trace.spans[]</c> holds a span with the attribute: in OTLP JSON
    /// (<c>[{key, value: {string_value}}]</c>) or as an object of values.</summary>
    private static bool HasSpan(JsonElement json, string key, string value)
    {
        if (!json.TryGetProperty("trace", out var trace) || !trace.TryGetProperty("spans", out var spans) || spans.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var span in spans.EnumerateArray())
        {
            if (span.ValueKind == JsonValueKind.Object && span.TryGetProperty("attributes", out var attributes) && Holds(attributes, key, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Holds(JsonElement attributes, string key, string value)
    {
        if (attributes.ValueKind == JsonValueKind.Object)
        {
            return attributes.TryGetProperty(key, out var direct) && Matches(direct, value);
        }

        if (attributes.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var attribute in attributes.EnumerateArray())
        {
            if (attribute.ValueKind == JsonValueKind.Object
                && attribute.TryGetProperty("key", out var name) && name.ValueKind == JsonValueKind.String && name.ValueEquals(key)
                && attribute.TryGetProperty("value", out var any) && any.ValueKind == JsonValueKind.Object
                && any.TryGetProperty("string_value", out var text) && Matches(text, value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(JsonElement element, string value)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var text = element.GetString();
        if (string.Equals(text, value, StringComparison.Ordinal))
        {
            return true;
        }

        // MLflow keeps span attribute values JSON-encoded: the string "run-1" is stored as "\"run-1\"".
        try
        {
            if (text is not ['"', ..])
            {
                return false;
            }

            using var decoded = JsonDocument.Parse(text);
            return decoded.RootElement.ValueKind == JsonValueKind.String && decoded.RootElement.ValueEquals(value);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
