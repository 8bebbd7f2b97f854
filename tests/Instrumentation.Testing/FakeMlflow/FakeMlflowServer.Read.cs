using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace Instrumentation.Testing.FakeMlflow;

/// <summary>
/// MLflow 3's trace read endpoints (mlflow-contract.md §4), so that a checker outside the test process (the OpenClaw
/// end-to-end run) reads traces over REST from the fake exactly as from a real server:
/// <list type="bullet">
/// <item><c>POST api/3.0/mlflow/traces/search</c> with <c>application/json</c>
/// <c>{"locations":[{"type":"MLFLOW_EXPERIMENT","mlflow_experiment":{"experiment_id":"1"}}],"max_results":100,
/// "page_token":"…"}</c>: <c>{"traces":[trace_info…],"next_page_token":"…"}</c>, newest first. No location, or one that is
/// not an experiment: 400 <c>INVALID_PARAMETER_VALUE</c>.</item>
/// <item><c>GET api/3.0/mlflow/traces/get?trace_id=tr-…</c>: <c>{"trace":{"trace_info":{…},"spans":[…]}}</c>, the spans in
/// OTLP's JSON form with snake_case names (ids as lowercase hex here; a reader must treat them as opaque). Unknown
/// trace: 404 <c>RESOURCE_DOES_NOT_EXIST</c>.</item>
/// </list>
/// A <c>trace_info</c> holds <c>trace_id</c>, <c>trace_location</c>, <c>request_time</c> (ISO 8601),
/// <c>execution_duration</c> (<c>"0.250s"</c>), <c>state</c>, <c>request_preview</c>, <c>response_preview</c>,
/// <c>trace_metadata</c> (<c>mlflow.trace.session</c>, <c>mlflow.trace.user</c>, <c>mlflow.trace.tokenUsage</c> when
/// known) and <c>tags</c> (<c>mlflow.traceName</c>).
/// </summary>
public sealed partial class FakeMlflowServer
{
    private const string SearchTracesPath = "api/3.0/mlflow/traces/search";
    private const string GetTracePath = "api/3.0/mlflow/traces/get";
    private const int DefaultMaxResults = 100;

    private FakeResponse SearchTraces(RecordedRequest request)
    {
        if (request.MediaType is not "application/json")
        {
            return MlflowError(400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type must be one of ['application/json'].");
        }

        var experimentIds = new HashSet<string>(StringComparer.Ordinal);
        var maxResults = DefaultMaxResults;
        var offset = 0;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("locations", out var locations) || locations.ValueKind != JsonValueKind.Array)
            {
                return MlflowError(400, "INVALID_PARAMETER_VALUE", "At least one trace location must be specified in 'locations'.");
            }

            foreach (var location in locations.EnumerateArray())
            {
                if (location.ValueKind != JsonValueKind.Object
                    || !location.TryGetProperty("type", out var type) || type.GetString() != "MLFLOW_EXPERIMENT"
                    || !location.TryGetProperty("mlflow_experiment", out var experiment)
                    || !experiment.TryGetProperty("experiment_id", out var id) || id.ValueKind != JsonValueKind.String)
                {
                    return MlflowError(400, "INVALID_PARAMETER_VALUE", "Only MLFLOW_EXPERIMENT locations with an experiment_id are supported.");
                }

                experimentIds.Add(id.GetString()!);
            }

            if (root.TryGetProperty("max_results", out var max) && max.TryGetInt32(out var value))
            {
                maxResults = value is > 0 and <= 500 ? value : DefaultMaxResults;
            }

            if (root.TryGetProperty("page_token", out var token) && token.ValueKind == JsonValueKind.String
                && !int.TryParse(token.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                return MlflowError(400, "INVALID_PARAMETER_VALUE", "Invalid page token.");
            }
        }
        catch (JsonException)
        {
            return MlflowError(400, "INVALID_PARAMETER_VALUE", "Malformed JSON in the request body.");
        }

        if (experimentIds.Count == 0)
        {
            return MlflowError(400, "INVALID_PARAMETER_VALUE", "At least one trace location must be specified in 'locations'.");
        }

        var matching = Traces.Where(t => experimentIds.Contains(t.ExperimentId))
            .OrderByDescending(t => t.Spans.Min(s => s.StartTimeUnixNano)).ThenBy(t => t.OtlpTraceId, StringComparer.Ordinal).ToList();
        var page = matching.Skip(offset).Take(maxResults).Select(TraceInfo).ToList();
        var next = offset + page.Count < matching.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return next is null ? Json(200, new { traces = page }) : Json(200, new { traces = page, next_page_token = next });
    }

    private FakeResponse GetTrace(RecordedRequest request)
    {
        var id = QueryValue(request, "trace_id");
        if (string.IsNullOrEmpty(id))
        {
            return MissingParameter("trace_id");
        }

        var trace = Traces.FirstOrDefault(t => t.TraceId == id);
        return trace is null
            ? MlflowError(404, "RESOURCE_DOES_NOT_EXIST", $"Trace with ID {id} is not found.")
            : Json(200, new { trace = new { trace_info = TraceInfo(trace), spans = trace.Spans.Select(SpanJson).ToList() } });
    }

    private static Dictionary<string, object?> TraceInfo(FakeTrace trace)
    {
        var start = trace.Spans.Min(s => s.StartTimeUnixNano);
        var end = trace.Root?.EndTimeUnixNano ?? trace.Spans.Max(s => s.EndTimeUnixNano);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (trace.Session is { } session)
        {
            metadata["mlflow.trace.session"] = session;
        }

        if (trace.User is { } user)
        {
            metadata["mlflow.trace.user"] = user;
        }

        if (trace.TokenUsage is { } usage)
        {
            metadata["mlflow.trace.tokenUsage"] = JsonSerializer.Serialize(new
            {
                input_tokens = usage.InputTokens,
                output_tokens = usage.OutputTokens,
                total_tokens = usage.TotalTokens,
                cache_read_input_tokens = usage.CacheReadInputTokens,
                cache_creation_input_tokens = usage.CacheCreationInputTokens,
            });
        }

        return new Dictionary<string, object?>
        {
            ["trace_id"] = trace.TraceId,
            ["trace_location"] = new { type = "MLFLOW_EXPERIMENT", mlflow_experiment = new { experiment_id = trace.ExperimentId } },
            ["request_time"] = OtlpValues.FromUnixNanos(start).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["execution_duration"] = ((end - Math.Min(start, end)) / 1e9).ToString("0.000", CultureInfo.InvariantCulture) + "s",
            ["state"] = trace.State,
            ["request_preview"] = trace.RequestPreview,
            ["response_preview"] = trace.ResponsePreview,
            ["trace_metadata"] = metadata,
            ["tags"] = trace.Name is { } name ? new Dictionary<string, string> { ["mlflow.traceName"] = name } : new Dictionary<string, string>(),
        };
    }

    private static Dictionary<string, object?> SpanJson(ReceivedSpan span)
    {
        var json = new Dictionary<string, object?>
        {
            ["trace_id"] = span.TraceId,
            ["span_id"] = span.SpanId,
            ["name"] = span.Name,
            ["start_time_unix_nano"] = span.StartTimeUnixNano.ToString(CultureInfo.InvariantCulture),
            ["end_time_unix_nano"] = span.EndTimeUnixNano.ToString(CultureInfo.InvariantCulture),
            ["attributes"] = span.Attributes.Select(a => new { key = a.Key, value = AnyValueJson(a.Value) }).ToList(),
            ["events"] = span.Events.Select(e => new
            {
                name = e.Name,
                time_unix_nano = ((ulong)((e.Time - DateTimeOffset.UnixEpoch).Ticks * 100)).ToString(CultureInfo.InvariantCulture),
                attributes = e.Attributes.Select(a => new { key = a.Key, value = AnyValueJson(a.Value) }).ToList(),
            }).ToList(),
            ["status"] = new Dictionary<string, object?>
            {
                ["code"] = span.Status switch
                {
                    ReceivedStatus.Ok => "STATUS_CODE_OK",
                    ReceivedStatus.Error => "STATUS_CODE_ERROR",
                    _ => "STATUS_CODE_UNSET",
                },
                ["message"] = span.StatusMessage,
            },
        };
        if (span.ParentSpanId is { } parent)
        {
            json["parent_span_id"] = parent;
        }

        return json;
    }

    // OTLP's JSON mapping of AnyValue (int64 as a string, as proto3 JSON writes it).
    private static object? AnyValueJson(object? value) => value switch
    {
        null => new { },
        string s => new { string_value = s },
        bool b => new { bool_value = b },
        long l => new { int_value = l.ToString(CultureInfo.InvariantCulture) },
        double d => new { double_value = d },
        byte[] bytes => new { bytes_value = Convert.ToBase64String(bytes) },
        IEnumerable<object?> list => new { array_value = new { values = list.Select(AnyValueJson).ToList() } },
        IReadOnlyDictionary<string, object?> map => new { kvlist_value = new { values = map.Select(p => new { key = p.Key, value = AnyValueJson(p.Value) }).ToList() } },
        _ => new { string_value = OtlpValues.AsText(value) },
    };
}
