using System;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using Google.Protobuf;
using Instrumentation.Testing.FakeMlflow;
using Instrumentation.Testing.FakeMlflow.Otlp;

namespace Instrumentation.Mlflow.Tests;

/// <summary>The fake MLflow server is our stand-in for a real one: it must reject what the real one rejects.</summary>
public sealed class FakeMlflowServerTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] OneSpan(string name = "root")
    {
        var request = new ExportTraceServiceRequest();
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "test" } };
        scope.Spans.Add(new Span
        {
            TraceId = ByteString.CopyFrom(Convert.FromHexString("4bf92f3577b34da6a3ce929d0e0e4736")),
            SpanId = ByteString.CopyFrom(Convert.FromHexString("00f067aa0ba902b7")),
            Name = name,
            Kind = Span.Types.SpanKind.Internal,
            StartTimeUnixNano = 1_000,
            EndTimeUnixNano = 2_000,
            Status = new Status { Code = Status.Types.StatusCode.Error, Message = "boom" },
            Attributes = { new KeyValue { Key = "mlflow.spanType", Value = new AnyValue { StringValue = "AGENT" } } },
        });
        var resourceSpans = new ResourceSpans();
        resourceSpans.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resourceSpans);
        return request.ToByteArray();
    }

    private static HttpResponseMessage Post(FakeMlflowServer server, byte[] body, string? contentType = "application/x-protobuf",
        string? experimentId = "0", string? encoding = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(server.TrackingUri, "v1/traces")) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (encoding is not null)
        {
            message.Content.Headers.ContentEncoding.Add(encoding);
        }

        if (experimentId is not null)
        {
            message.Headers.Add("x-mlflow-experiment-id", experimentId);
        }

        return Http.Send(message);
    }

    [Fact]
    public async System.Threading.Tasks.Task Accepts_a_protobuf_export_and_decodes_its_spans()
    {
        using var mlflow = FakeMlflowServer.Start();

        using var response = Post(mlflow, OneSpan());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
        var span = Assert.Single(mlflow.Spans);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", span.TraceId);
        Assert.Equal("00f067aa0ba902b7", span.SpanId);
        Assert.Null(span.ParentSpanId);
        Assert.Equal("AGENT", span.SpanType);
        Assert.Equal(ReceivedStatus.Error, span.Status);
        Assert.Equal("test", span.ScopeName);
        var trace = Assert.Single(mlflow.Traces);
        Assert.Equal("tr-4bf92f3577b34da6a3ce929d0e0e4736", trace.TraceId);
        Assert.Equal("ERROR", trace.State);
    }

    [Fact]
    public void Accepts_a_gzip_body()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(OneSpan("zipped"));
        }

        using var response = Post(mlflow, compressed.ToArray(), encoding: "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("zipped", Assert.Single(mlflow.Spans).Name);
    }

    [Fact]
    public void Rejects_an_export_without_the_experiment_header_with_422()
    {
        using var mlflow = FakeMlflowServer.Start();

        using var response = Post(mlflow, OneSpan(), experimentId: null);

        Assert.Equal(422, (int)response.StatusCode);
        Assert.Empty(mlflow.Spans);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-protobuf; charset=utf-8")]
    [InlineData(null)]
    public void Rejects_any_other_content_type_with_400(string? contentType)
    {
        using var mlflow = FakeMlflowServer.Start();

        using var response = Post(mlflow, OneSpan(), contentType: contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(mlflow.Spans);
    }

    [Fact]
    public async System.Threading.Tasks.Task Rejects_an_unknown_experiment_with_404()
    {
        using var mlflow = FakeMlflowServer.Start();

        using var response = Post(mlflow, OneSpan(), experimentId: "99");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(mlflow.Spans);
    }

    [Fact]
    public void Rejects_a_body_that_is_not_an_export_request_or_holds_no_spans()
    {
        using var mlflow = FakeMlflowServer.Start();

        using var garbage = Post(mlflow, Encoding.UTF8.GetBytes("{\"resourceSpans\":[]}"));
        using var empty = Post(mlflow, Array.Empty<byte>());

        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Get_by_name_answers_GET_only_with_MLflows_shapes()
    {
        using var mlflow = FakeMlflowServer.Start();
        var id = mlflow.CreateExperiment("agents");
        var address = new Uri(mlflow.TrackingUri, "api/2.0/mlflow/experiments/get-by-name?experiment_name=agents");

        using var found = Http.Send(new HttpRequestMessage(HttpMethod.Get, address));
        using var missing = Http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(mlflow.TrackingUri, "api/2.0/mlflow/experiments/get-by-name?experiment_name=nope")));
        using var post = Http.Send(new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent("{\"experiment_name\":\"agents\"}", Encoding.UTF8, "application/json") });

        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains($"\"experiment_id\":\"{id}\"", await found.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(
            "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Could not find experiment with name \\u0027nope\\u0027\"}",
            await missing.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Create_needs_json_and_refuses_a_duplicate_name()
    {
        using var mlflow = FakeMlflowServer.Start();
        var address = new Uri(mlflow.TrackingUri, "api/2.0/mlflow/experiments/create");

        using var created = Http.Send(new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json") });
        using var duplicate = Http.Send(new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent("{\"name\":\"x\"}", Encoding.UTF8, "application/json") });
        using var notJson = Http.Send(new HttpRequestMessage(HttpMethod.Post, address) { Content = new StringContent("name=y", Encoding.UTF8, "application/x-www-form-urlencoded") });

        Assert.Equal("{\"experiment_id\":\"1\"}", await created.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("RESOURCE_ALREADY_EXISTS", await duplicate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", await notJson.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public void Sums_trace_tokens_over_every_span_as_MLflow_does()
    {
        using var mlflow = FakeMlflowServer.Start();
        var request = new ExportTraceServiceRequest();
        var scope = new ScopeSpans();
        var traceId = ByteString.CopyFrom(Convert.FromHexString("4bf92f3577b34da6a3ce929d0e0e4736"));
        AnyValue Text(string value) => new() { StringValue = value };
        scope.Spans.Add(new Span
        {
            TraceId = traceId,
            SpanId = ByteString.CopyFrom(Convert.FromHexString("0000000000000001")),
            Name = "root",
            Attributes = { new KeyValue { Key = "mlflow.chat.tokenUsage", Value = Text("{\"input_tokens\":12,\"output_tokens\":7,\"total_tokens\":19}") } },
        });
        scope.Spans.Add(new Span
        {
            TraceId = traceId,
            SpanId = ByteString.CopyFrom(Convert.FromHexString("0000000000000002")),
            ParentSpanId = ByteString.CopyFrom(Convert.FromHexString("0000000000000001")),
            Name = "llm",
            Attributes = { new KeyValue { Key = "mlflow.chat.tokenUsage", Value = Text("{\"input_tokens\":12,\"output_tokens\":7,\"total_tokens\":19,\"cache_read_input_tokens\":4}") } },
        });
        var resourceSpans = new ResourceSpans();
        resourceSpans.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resourceSpans);

        using var response = Post(mlflow, request.ToByteArray());

        // The contract's observation: 12/7/19 on the root and on its child give 24/14/38.
        Assert.Equal(new FakeTokenUsage(24, 14, 38, 4, 0), Assert.Single(mlflow.Traces).TokenUsage);
        Assert.Equal("OK", mlflow.Traces[0].State);
    }

    [Fact]
    public void After_dispose_the_port_refuses_connections()
    {
        var mlflow = FakeMlflowServer.Start();
        var uri = mlflow.TrackingUri;
        mlflow.Dispose();

        Assert.ThrowsAny<HttpRequestException>(() => Http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(uri, "health"))));
    }
}
