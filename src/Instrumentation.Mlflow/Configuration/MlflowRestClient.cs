using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Instrumentation.Mlflow.Configuration;

/// <summary>An MLflow REST answer: the HTTP status and, when the body is MLflow's JSON, its content.</summary>
internal sealed class RestResponse
{
    public RestResponse(HttpStatusCode status, string body)
    {
        Status = status;
        Body = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            Json = document.RootElement.Clone();
            if (Json.Value.ValueKind == JsonValueKind.Object)
            {
                ErrorCode = Json.Value.TryGetProperty("error_code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
                ErrorMessage = Json.Value.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
            }
        }
        catch (JsonException)
        {
            Json = null;
        }
    }

    public HttpStatusCode Status { get; }

    public string Body { get; }

    /// <summary>The body as JSON, or <see langword="null"/> when it is not JSON (an HTML error page, a proxy's answer).</summary>
    public JsonElement? Json { get; }

    /// <summary>MLflow's <c>error_code</c>, for example <c>RESOURCE_DOES_NOT_EXIST</c>.</summary>
    public string? ErrorCode { get; }

    public string? ErrorMessage { get; }

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary><c>404 RESOURCE_DOES_NOT_EXIST: No Experiment with id=42 exists</c>, or the status and the start of the body.</summary>
    public string Describe()
    {
        var status = $"{(int)Status} {Status}";
        if (ErrorCode is not null)
        {
            return $"{status}, {ErrorCode}: {ErrorMessage}";
        }

        var text = Body.Trim();
        if (text.Length == 0)
        {
            return status + " with an empty body";
        }

        text = text.ReplaceLineEndings(" ");
        return status + ": " + (text.Length > 200 ? text[..200] + "…" : text);
    }
}

/// <summary>The server could not be asked: connection refused, DNS failure, TLS failure, timeout.</summary>
internal sealed class RestTransportException : Exception
{
    public RestTransportException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The few MLflow REST calls the exporter makes when the tracer provider is built. Synchronous on purpose: they run
/// once, at startup, inside <c>Build()</c>, which is synchronous; <see cref="HttpClient.Send(HttpRequestMessage)"/>
/// avoids blocking on a task.
/// </summary>
internal sealed class MlflowRestClient : IDisposable
{
    private static readonly string s_userAgent = "Instrumentation.Mlflow/" + (typeof(MlflowRestClient).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _client;
    private readonly Uri _baseUri;

    public MlflowRestClient(Uri baseUri, TimeSpan timeout, AuthenticationHeaderValue? authorization)
    {
        _baseUri = baseUri;
        _client = new HttpClient { Timeout = timeout };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(s_userAgent);
        _client.DefaultRequestHeaders.Authorization = authorization;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    /// <summary>MLflow REST endpoints, relative to the tracking URI; error messages name them too.</summary>
    internal const string GetExperimentPath = "api/2.0/mlflow/experiments/get";

    internal const string GetExperimentByNamePath = "api/2.0/mlflow/experiments/get-by-name";

    internal const string CreateExperimentPath = "api/2.0/mlflow/experiments/create";

    internal const string GetTracePath = "api/3.0/mlflow/traces/get";

    /// <summary><c>GET api/2.0/mlflow/experiments/get?experiment_id=...</c></summary>
    public RestResponse GetExperiment(string experimentId) =>
        Send(HttpMethod.Get, GetExperimentPath + "?experiment_id=" + Uri.EscapeDataString(experimentId), null);

    /// <summary>
    /// <c>GET api/2.0/mlflow/experiments/get-by-name?experiment_name=...</c>. MLflow's server registers this endpoint for
    /// GET only (<c>service.proto</c>: <c>method: "GET"</c>; Flask answers 405 to a POST).
    /// </summary>
    public RestResponse GetExperimentByName(string name) =>
        Send(HttpMethod.Get, GetExperimentByNamePath + "?experiment_name=" + Uri.EscapeDataString(name), null);

    /// <summary><c>POST api/2.0/mlflow/experiments/create</c> with <c>{"name": ...}</c>.</summary>
    public RestResponse CreateExperiment(string name)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteEndObject();
        }

        return Send(HttpMethod.Post, CreateExperimentPath, buffer.ToArray());
    }

    /// <summary><c>GET api/3.0/mlflow/traces/get?trace_id=tr-...</c>: the trace and its spans (docs/mlflow-contract.md §4);
    /// 404 <c>RESOURCE_DOES_NOT_EXIST</c> when the server holds no such trace.</summary>
    public RestResponse GetTrace(string mlflowTraceId) =>
        Send(HttpMethod.Get, GetTracePath + "?trace_id=" + Uri.EscapeDataString(mlflowTraceId), null);

    public void Dispose() => _client.Dispose();

    /// <summary>The address of a REST path, for messages.</summary>
    public Uri AddressOf(string relative) => new(_baseUri, relative);

    private RestResponse Send(HttpMethod method, string relative, byte[]? jsonBody)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, relative));
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        try
        {
            using var response = _client.Send(request, HttpCompletionOption.ResponseContentRead);
            using var stream = response.Content.ReadAsStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return new RestResponse(response.StatusCode, reader.ReadToEnd());
        }
        catch (System.Threading.Tasks.TaskCanceledException ex)
        {
            throw new RestTransportException($"no answer within {Seconds(Timeout)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RestTransportException(Innermost(ex), ex);
        }
        catch (IOException ex)
        {
            throw new RestTransportException(Innermost(ex), ex);
        }
    }

    private static string Innermost(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!string.IsNullOrWhiteSpace(inner.Message) && !message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += " (" + inner.Message + ")";
            }
        }

        return message;
    }

    private static string Seconds(TimeSpan timeout) =>
        timeout.TotalSeconds >= 1
            ? timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s"
            : timeout.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms";
}
