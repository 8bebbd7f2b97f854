using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Instrumentation.Testing.FakeMlflow;
using Instrumentation.Testing.FakeMlflow.Otlp;

namespace Instrumentation.Mlflow.Tests;

/// <summary>The fake's MLflow 3 read endpoints (traces/search, traces/get), used by checkers that read over REST.</summary>
public sealed class FakeMlflowReadEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Search(FakeMlflowServer server, string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.TrackingUri, "api/3.0/mlflow/traces/search"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var (status, text) = Send(request);
        Assert.Equal(expected, status);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static (HttpStatusCode Status, string Body) Get(FakeMlflowServer server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.TrackingUri, path));
        return Send(request);
    }

    private static (HttpStatusCode Status, string Body) Send(HttpRequestMessage request)
    {
        using var response = Http.Send(request, Ct);
        using var reader = new System.IO.StreamReader(response.Content.ReadAsStream(Ct));
        return (response.StatusCode, reader.ReadToEnd());
    }

    private static string Location(string experimentId) =>
        "{\"locations\":[{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":{\"experiment_id\":\"" + experimentId + "\"}}],\"max_results\":1";

    [Fact]
    public void Search_pages_through_an_experiments_traces_newest_first_with_their_info()
    {
        using var server = FakeMlflowServer.Start();
        var experiment = server.CreateExperiment("e2e");
        OtlpRequests.Export(server, experiment, "11111111111111111111111111111111", 0,
            OtlpRequests.Span("00000000000000a1", null, "AGENT main", Status.Types.StatusCode.Ok,
                ("session.id", new AnyValue { StringValue = "agent:main:s1" }),
                ("mlflow.spanInputs", new AnyValue { StringValue = "{\"messages\":[{\"role\":\"user\",\"content\":\"SCENARIO:simple#1 hi\"}]}" })),
            OtlpRequests.Span("00000000000000a2", "00000000000000a1", "chat mock", Status.Types.StatusCode.Ok,
                ("mlflow.chat.tokenUsage", new AnyValue { StringValue = "{\"input_tokens\":913,\"output_tokens\":6,\"total_tokens\":919}" })));
        OtlpRequests.Export(server, experiment, "22222222222222222222222222222222", 5_000_000_000, OtlpRequests.Span("00000000000000b1", null, "AGENT later", Status.Types.StatusCode.Error));
        OtlpRequests.Export(server, "0", "33333333333333333333333333333333", 0, OtlpRequests.Span("00000000000000c1", null, "elsewhere", Status.Types.StatusCode.Ok));

        var first = Search(server, Location(experiment) + "}");
        var newest = Assert.Single(first.GetProperty("traces").EnumerateArray());
        Assert.Equal("tr-22222222222222222222222222222222", newest.GetProperty("trace_id").GetString());
        Assert.Equal("ERROR", newest.GetProperty("state").GetString());
        var token = first.GetProperty("next_page_token").GetString();

        var second = Search(server, Location(experiment) + ",\"page_token\":\"" + token + "\"}");
        Assert.False(second.TryGetProperty("next_page_token", out _));
        var older = Assert.Single(second.GetProperty("traces").EnumerateArray());
        Assert.Equal("tr-11111111111111111111111111111111", older.GetProperty("trace_id").GetString());
        Assert.Equal("OK", older.GetProperty("state").GetString());
        Assert.Equal("0.250s", older.GetProperty("execution_duration").GetString());
        Assert.Contains("SCENARIO:simple#1 hi", older.GetProperty("request_preview").GetString(), StringComparison.Ordinal);
        Assert.Equal("agent:main:s1", older.GetProperty("trace_metadata").GetProperty("mlflow.trace.session").GetString());
        Assert.Equal(experiment, older.GetProperty("trace_location").GetProperty("mlflow_experiment").GetProperty("experiment_id").GetString());
        Assert.Equal("AGENT main", older.GetProperty("tags").GetProperty("mlflow.traceName").GetString());
    }

    [Fact]
    public void Get_returns_the_spans_with_parents_status_and_attributes()
    {
        using var server = FakeMlflowServer.Start();
        OtlpRequests.Export(server, "0", "11111111111111111111111111111111", 0,
            OtlpRequests.Span("00000000000000a1", null, "AGENT main", Status.Types.StatusCode.Ok),
            OtlpRequests.Span("00000000000000a2", "00000000000000a1", "read", Status.Types.StatusCode.Error,
                ("mlflow.spanType", new AnyValue { StringValue = "TOOL" }), ("attempt", new AnyValue { IntValue = 2 })));

        var (status, body) = Get(server, "api/3.0/mlflow/traces/get?trace_id=tr-11111111111111111111111111111111");
        Assert.Equal(HttpStatusCode.OK, status);
        var trace = JsonDocument.Parse(body).RootElement.GetProperty("trace");
        Assert.Equal("OK", trace.GetProperty("trace_info").GetProperty("state").GetString());
        var spans = trace.GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(2, spans.Count);
        Assert.False(spans[0].TryGetProperty("parent_span_id", out _));
        Assert.Equal(spans[0].GetProperty("span_id").GetString(), spans[1].GetProperty("parent_span_id").GetString());
        Assert.Equal("STATUS_CODE_ERROR", spans[1].GetProperty("status").GetProperty("code").GetString());
        Assert.Equal("boom", spans[1].GetProperty("status").GetProperty("message").GetString());
        var attributes = spans[1].GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("key").GetString()!, a => a.GetProperty("value"));
        Assert.Equal("TOOL", attributes["mlflow.spanType"].GetProperty("string_value").GetString());
        Assert.Equal("2", attributes["attempt"].GetProperty("int_value").GetString());
    }

    [Fact]
    public void Unknown_traces_and_searches_without_a_location_get_mlflow_errors()
    {
        using var server = FakeMlflowServer.Start();
        var missing = Get(server, "api/3.0/mlflow/traces/get?trace_id=tr-00");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", missing.Body, StringComparison.Ordinal);

        var noLocation = Search(server, "{\"max_results\":5}", HttpStatusCode.BadRequest);
        Assert.Equal("INVALID_PARAMETER_VALUE", noLocation.GetProperty("error_code").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, Get(server, "api/3.0/mlflow/traces/search").Status);
    }
}
