using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Google.Protobuf;
using Instrumentation.Testing.FakeMlflow.Otlp;

namespace Instrumentation.Testing.FakeMlflow;

/// <summary>An experiment on the fake server.</summary>
/// <param name="Id">The experiment id (<c>0</c> is MLflow's Default experiment).</param>
/// <param name="Name">The experiment name.</param>
/// <param name="IsDeleted">Whether it is deleted (lifecycle stage <c>deleted</c>).</param>
public sealed record FakeExperiment(string Id, string Name, bool IsDeleted);

/// <summary>How to start a <see cref="FakeMlflowServer"/>.</summary>
public sealed class FakeMlflowServerOptions
{
    /// <summary>The path the server is served under, for example <c>/mlflow/</c> (a server behind a reverse proxy).
    /// Default: <c>/</c>.</summary>
    public string BasePath { get; init; } = "/";

    /// <summary>When set, every request must carry exactly this <c>Authorization</c> header value (for example
    /// <c>Bearer secret</c>), or the fake answers 401, as an MLflow server with authentication does.</summary>
    public string? RequiredAuthorization { get; init; }
}

/// <summary>
/// A stand-in MLflow tracking server on <c>127.0.0.1</c>, for tests: it implements exactly what the project's MLflow
/// contract says the real server does, and rejects what the real one rejects.
/// </summary>
/// <remarks>
/// <para>Endpoints (under <see cref="FakeMlflowServerOptions.BasePath"/>):</para>
/// <list type="bullet">
/// <item><c>POST v1/traces</c>: OTLP/HTTP protobuf. 422 without <c>x-mlflow-experiment-id</c>; 400 for a content type
/// other than <c>application/x-protobuf</c>, an unsupported <c>Content-Encoding</c> (gzip and deflate are accepted), a
/// body that is not an <c>ExportTraceServiceRequest</c> or holds no spans; 404 <c>RESOURCE_DOES_NOT_EXIST</c> for an
/// unknown (or deleted) experiment; 200 with an empty <c>application/x-protobuf</c> body on success. Other methods: 405.</item>
/// <item><c>GET api/2.0/mlflow/experiments/get-by-name?experiment_name=</c>, <c>GET .../experiments/get?experiment_id=</c>,
/// <c>POST .../experiments/create</c> (<c>application/json</c> <c>{"name":...}</c>): MLflow's JSON answers and error
/// shapes (<c>{"error_code":"RESOURCE_DOES_NOT_EXIST","message":...}</c> with 404,
/// <c>RESOURCE_ALREADY_EXISTS</c> and <c>INVALID_PARAMETER_VALUE</c> with 400). Like MLflow's Flask routes, each answers
/// one method only (get-by-name is GET: a POST gets 405).</item>
/// <item><c>POST api/3.0/mlflow/traces/search</c> and <c>GET api/3.0/mlflow/traces/get?trace_id=</c>: MLflow 3's trace
/// read endpoints, so a checker reads the fake and a real server the same way (FakeMlflowServer.Read.cs).</item>
/// <item><c>GET health</c>: <c>OK</c>. Anything else: 404 (not MLflow JSON, as from a web server that is not MLflow).</item>
/// </list>
/// <para>Experiment <c>0</c>, <c>Default</c>, exists from the start, as on a new MLflow SQL store. Every request is recorded
/// (<see cref="Requests"/>), accepted spans are decoded (<see cref="Spans"/>), and <see cref="Traces"/> groups them into
/// what MLflow would show.</para>
/// </remarks>
/// <example>
/// <code>
/// using var mlflow = FakeMlflowServer.Start();
/// var experimentId = mlflow.CreateExperiment("agents");
/// using var provider = Sdk.CreateTracerProviderBuilder()
///     .AddMlflowExporter(o => { o.TrackingUri = mlflow.TrackingUri; o.ExperimentId = experimentId; })
///     .Build();
/// // ... run traced code, then provider.ForceFlush();
/// var trace = mlflow.Traces.Single();
/// Assert.Equal("OK", trace.State);
/// </code>
/// </example>
public sealed partial class FakeMlflowServer : IDisposable
{
    private const string ExperimentHeader = "x-mlflow-experiment-id";
    private const string RunHeader = "x-mlflow-run-id";

    private readonly object _lock = new();
    private HttpListener _listener;
    private readonly List<RecordedRequest> _requests = new();
    private readonly List<ReceivedSpan> _spans = new();
    private readonly List<FakeExperiment> _experiments = new() { new FakeExperiment("0", "Default", false) };
    private readonly string _basePath;
    private readonly string? _requiredAuthorization;
    private Task _loop;
    private readonly CancellationTokenSource _stopping = new();
    private int _nextExperimentId = 1;

    private FakeMlflowServer(HttpListener listener, int port, FakeMlflowServerOptions options)
    {
        _listener = listener;
        _basePath = options.BasePath;
        _requiredAuthorization = options.RequiredAuthorization;
        Port = port;
        TrackingUri = new Uri($"http://127.0.0.1:{port}{_basePath}");
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The tracking URI to give the exporter: <c>http://127.0.0.1:{port}{base path}</c>.</summary>
    public Uri TrackingUri { get; }

    /// <summary>
    /// When set, called for each request before the fake handles it (after it is recorded); a non-null answer is sent
    /// instead of the fake's own. For failure tests: a 503, a slow server (sleep, then return null).
    /// </summary>
    public Func<RecordedRequest, FakeResponse?>? Intercept { get; set; }

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>The requests to <c>v1/traces</c>, accepted or not.</summary>
    public IReadOnlyList<RecordedRequest> TraceExports => Requests.Where(r => r.RelativePath == "v1/traces").ToList();

    /// <summary>Every span accepted so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_lock)
            {
                return _spans.ToList();
            }
        }
    }

    /// <summary>The accepted spans grouped into traces, in the order each trace's first span arrived.</summary>
    public IReadOnlyList<FakeTrace> Traces =>
        Spans.GroupBy(s => s.TraceId).Select(g => new FakeTrace(g.Key, g.ToList())).ToList();

    /// <summary>The experiments, Default (<c>0</c>) first.</summary>
    public IReadOnlyList<FakeExperiment> Experiments
    {
        get
        {
            lock (_lock)
            {
                return _experiments.ToList();
            }
        }
    }

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public static FakeMlflowServer Start(FakeMlflowServerOptions? options = null)
    {
        options ??= new FakeMlflowServerOptions();
        var basePath = "/" + options.BasePath.Trim('/');
        basePath = basePath == "/" ? "/" : basePath + "/";
        options = new FakeMlflowServerOptions { BasePath = basePath, RequiredAuthorization = options.RequiredAuthorization };

        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPorts.GetFreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeMlflowServer(listener, port, options);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Creates an experiment directly (not over HTTP) and returns its id.</summary>
    public string CreateExperiment(string name)
    {
        lock (_lock)
        {
            if (_experiments.Any(e => e.Name == name))
            {
                throw new InvalidOperationException($"An experiment named '{name}' already exists.");
            }

            var id = (_nextExperimentId++).ToString(CultureInfo.InvariantCulture);
            _experiments.Add(new FakeExperiment(id, name, false));
            return id;
        }
    }

    /// <summary>Marks an experiment deleted, as <c>mlflow experiments delete</c> does.</summary>
    public void DeleteExperiment(string id)
    {
        lock (_lock)
        {
            var index = _experiments.FindIndex(e => e.Id == id);
            _experiments[index] = _experiments[index] with { IsDeleted = true };
        }
    }

    /// <summary>The trace with MLflow id <paramref name="traceId"/> (<c>tr-…</c>) or OTLP id (32 hex digits).</summary>
    public FakeTrace Trace(string traceId)
    {
        var otlpId = traceId.StartsWith("tr-", StringComparison.Ordinal) ? traceId[3..] : traceId;
        return Traces.SingleOrDefault(t => t.OtlpTraceId == otlpId.ToLowerInvariant())
            ?? throw new InvalidOperationException($"No trace {traceId}; received: {string.Join(", ", Traces.Select(t => t.TraceId))}");
    }

    /// <summary>Waits until at least <paramref name="count"/> spans were accepted; <see langword="false"/> on timeout.</summary>
    public async Task<bool> WaitForSpansAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_lock)
            {
                if (_spans.Count >= count)
                {
                    return true;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>Forgets the recorded requests and spans (experiments stay).</summary>
    public void ClearRecords()
    {
        lock (_lock)
        {
            _requests.Clear();
            _spans.Clear();
        }
    }

    /// <summary>Stops the server: the port is closed afterwards.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        ReleaseHungExports();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(context));
        }
    }

    private void Serve(HttpListenerContext context)
    {
        RecordedRequest? record = null;
        try
        {
            record = Record(context.Request);
            if (record.RelativePath == "v1/traces" && TakeFault() is { } fault && ApplyFault(fault, context, record))
            {
                return;
            }

            var response = Intercept?.Invoke(record) ?? Handle(record);
            record.ResponseStatus = response.Status;
            record.ResponseBody = response.Body;
            Send(context.Response, response);
        }
        catch (Exception ex)
        {
            if (record is not null)
            {
                record.ResponseStatus = 500;
                record.ResponseBody = ex.ToString();
            }

            try
            {
                Send(context.Response, new FakeResponse(500, "fake MLflow server failure: " + ex.Message, "text/plain"));
            }
            catch (Exception)
            {
                // The client is gone.
            }
        }
    }

    private RecordedRequest Record(HttpListenerRequest request)
    {
        using var buffer = new MemoryStream();
        request.InputStream.CopyTo(buffer);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string? name in request.Headers.AllKeys)
        {
            if (name is not null)
            {
                headers[name] = string.Join(",", request.Headers.GetValues(name) ?? Array.Empty<string>());
            }
        }

        var path = request.Url?.AbsolutePath ?? "/";
        var relative = path.StartsWith(_basePath, StringComparison.Ordinal) ? path[_basePath.Length..] : null;
        var record = new RecordedRequest(request.HttpMethod, path, relative ?? "\u0000outside-base-path", request.Url?.Query ?? string.Empty, headers, buffer.ToArray());
        lock (_lock)
        {
            _requests.Add(record);
        }

        return record;
    }

    private FakeResponse Handle(RecordedRequest request)
    {
        if (_requiredAuthorization is not null && request.Header("Authorization") != _requiredAuthorization)
        {
            return new FakeResponse(401, "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.", "text/plain");
        }

        return request.RelativePath switch
        {
            "v1/traces" => OnlyMethod(request, "POST", ExportTraces),
            "api/2.0/mlflow/experiments/get-by-name" => OnlyMethod(request, "GET", GetExperimentByName),
            "api/2.0/mlflow/experiments/get" => OnlyMethod(request, "GET", GetExperiment),
            "api/2.0/mlflow/experiments/create" => OnlyMethod(request, "POST", CreateExperimentOverHttp),
            "health" => OnlyMethod(request, "GET", _ => new FakeResponse(200, "OK", "text/plain")),
            SearchTracesPath => OnlyMethod(request, "POST", SearchTraces),
            GetTracePath => OnlyMethod(request, "GET", GetTrace),
            _ => new FakeResponse(404, "<!doctype html><title>404 Not Found</title><h1>Not Found</h1>", "text/html"),
        };
    }

    private static FakeResponse OnlyMethod(RecordedRequest request, string method, Func<RecordedRequest, FakeResponse> handler) =>
        request.Method == method
            ? handler(request)
            : new FakeResponse(405, "<!doctype html><title>405 Method Not Allowed</title><h1>Method Not Allowed</h1>", "text/html");

    private FakeResponse ExportTraces(RecordedRequest request)
    {
        // MLflow's FastAPI route: the required header is validated first (422), then the content type (400).
        if (request.Header(ExperimentHeader) is not { Length: > 0 } experimentId)
        {
            return Json(422, new { detail = new[] { new { type = "missing", loc = new[] { "header", ExperimentHeader }, msg = "Field required" } } });
        }

        var contentType = request.Header("Content-Type");
        if (contentType != "application/x-protobuf")
        {
            return Json(400, new { detail = $"Invalid Content-Type: {contentType ?? "None"}. Expected: application/x-protobuf" });
        }

        byte[] body;
        try
        {
            body = Decompress(request.Body, request.Header("Content-Encoding"));
        }
        catch (InvalidDataException)
        {
            return Json(400, new { detail = "Failed to decompress the request body" });
        }
        catch (NotSupportedException ex)
        {
            return Json(400, new { detail = ex.Message });
        }

        request.DecodedBody = body;
        ExportTraceServiceRequest parsed;
        try
        {
            parsed = ExportTraceServiceRequest.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException)
        {
            return Json(400, new { detail = "Invalid OpenTelemetry protobuf format" });
        }

        if (parsed.ResourceSpans.Count == 0)
        {
            return Json(400, new { detail = "Invalid OpenTelemetry protobuf format - no spans found" });
        }

        lock (_lock)
        {
            if (!_experiments.Any(e => e.Id == experimentId && !e.IsDeleted))
            {
                return MlflowError(404, "RESOURCE_DOES_NOT_EXIST", $"Experiment with id '{experimentId}' does not exist.");
            }
        }

        var runId = request.Header(RunHeader);
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in parsed.ResourceSpans)
        {
            var resource = OtlpValues.ToDictionary(resourceSpans.Resource?.Attributes ?? new Google.Protobuf.Collections.RepeatedField<KeyValue>());
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                foreach (var span in scopeSpans.Spans)
                {
                    if (span.TraceId.Length != 16 || span.SpanId.Length != 8)
                    {
                        return Json(422, new { detail = "Cannot convert OpenTelemetry span to MLflow span" });
                    }

                    spans.Add(new ReceivedSpan(span, experimentId, runId, resource, scopeSpans.Scope?.Name ?? string.Empty, scopeSpans.Scope?.Version ?? string.Empty));
                }
            }
        }

        request.Spans = spans;
        lock (_lock)
        {
            _spans.AddRange(spans);
        }

        return new FakeResponse(200, string.Empty, "application/x-protobuf");
    }

    private FakeResponse GetExperimentByName(RecordedRequest request)
    {
        if (QueryValue(request, "experiment_name") is not { Length: > 0 } name)
        {
            return MissingParameter("experiment_name");
        }

        FakeExperiment? experiment;
        lock (_lock)
        {
            // MLflow prefers the active experiment when an active and a deleted one share the name.
            experiment = _experiments.Where(e => e.Name == name).OrderBy(e => e.IsDeleted).FirstOrDefault();
        }

        return experiment is null
            ? MlflowError(404, "RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'")
            : Json(200, new { experiment = Describe(experiment) });
    }

    private FakeResponse GetExperiment(RecordedRequest request)
    {
        if (QueryValue(request, "experiment_id") is not { Length: > 0 } id)
        {
            return MissingParameter("experiment_id");
        }

        FakeExperiment? experiment;
        lock (_lock)
        {
            experiment = _experiments.FirstOrDefault(e => e.Id == id);
        }

        return experiment is null
            ? MlflowError(404, "RESOURCE_DOES_NOT_EXIST", $"No Experiment with id={id} exists")
            : Json(200, new { experiment = Describe(experiment) });
    }

    private FakeResponse CreateExperimentOverHttp(RecordedRequest request)
    {
        if (request.MediaType is not "application/json")
        {
            return request.MediaType is null
                ? MlflowError(400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type header is missing.")
                : MlflowError(400, "INVALID_PARAMETER_VALUE", "Bad Request. Content-Type must be one of ['application/json'].");
        }

        string? name = null;
        try
        {
            using var document = JsonDocument.Parse(request.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("name", out var element) && element.ValueKind == JsonValueKind.String)
            {
                name = element.GetString();
            }
        }
        catch (JsonException)
        {
            name = null;
        }

        if (string.IsNullOrEmpty(name))
        {
            return MissingParameter("name");
        }

        lock (_lock)
        {
            if (_experiments.Any(e => e.Name == name))
            {
                return MlflowError(400, "RESOURCE_ALREADY_EXISTS", $"Experiment(name={name}) already exists.");
            }

            var id = (_nextExperimentId++).ToString(CultureInfo.InvariantCulture);
            _experiments.Add(new FakeExperiment(id, name, false));
            return Json(200, new { experiment_id = id });
        }
    }

    private static object Describe(FakeExperiment experiment) => new
    {
        experiment_id = experiment.Id,
        name = experiment.Name,
        artifact_location = "mlflow-artifacts:/" + experiment.Id,
        lifecycle_stage = experiment.IsDeleted ? "deleted" : "active",
        last_update_time = 1_700_000_000_000L,
        creation_time = 1_700_000_000_000L,
    };

    private static string? QueryValue(RecordedRequest request, string name)
    {
        foreach (var pair in request.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            if (key == name)
            {
                return equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }

    private static byte[] Decompress(byte[] body, string? encoding)
    {
        switch (encoding?.Trim().ToLowerInvariant())
        {
            case null or "" or "identity":
                return body;
            case "gzip":
                return Inflate(new GZipStream(new MemoryStream(body), CompressionMode.Decompress));
            case "deflate":
                return Inflate(new ZLibStream(new MemoryStream(body), CompressionMode.Decompress));
            default:
                throw new NotSupportedException($"Unsupported Content-Encoding: {encoding}");
        }
    }

    private static byte[] Inflate(Stream stream)
    {
        using (stream)
        {
            using var output = new MemoryStream();
            stream.CopyTo(output);
            return output.ToArray();
        }
    }

    private static FakeResponse MissingParameter(string name) =>
        MlflowError(400, "INVALID_PARAMETER_VALUE", $"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static FakeResponse MlflowError(int status, string code, string message) =>
        Json(status, new { error_code = code, message });

    private static FakeResponse Json(int status, object body) => new(status, JsonSerializer.Serialize(body));

    private static void Send(HttpListenerResponse response, FakeResponse answer, string? retryAfter = null)
    {
        if (retryAfter is not null)
        {
            response.AddHeader("Retry-After", retryAfter);
        }

        var bytes = Encoding.UTF8.GetBytes(answer.Body);
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        if (answer.Status == 401)
        {
            response.AddHeader("WWW-Authenticate", "Basic realm=\"mlflow\"");
        }

        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
        response.Close();
    }
}

/// <summary>Loopback ports for tests.</summary>
public static class LoopbackPorts
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago.</summary>
    public static int GetFreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>A port on 127.0.0.1 nothing listens on: bound, noted, closed. Connecting to it is refused.</summary>
    public static int GetClosedPort() => GetFreePort();
}
