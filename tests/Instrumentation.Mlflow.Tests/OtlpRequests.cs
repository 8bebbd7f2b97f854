using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Protobuf;
using Instrumentation.Testing.FakeMlflow;
using Instrumentation.Testing.FakeMlflow.Otlp;

namespace Instrumentation.Mlflow.Tests;

/// <summary>Hand-made OTLP export requests, for tests of what the fake and the readers do with exact spans.</summary>
internal static class OtlpRequests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Posts <paramref name="spans"/> of trace <paramref name="traceHex"/> to the fake's <c>v1/traces</c> as
    /// OTLP protobuf, times shifted by <paramref name="start"/> ns; the fake must accept them.</summary>
    public static void Export(FakeMlflowServer server, string experimentId, string traceHex, ulong start, params Span[] spans)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "test" } };
        foreach (var span in spans)
        {
            span.TraceId = ByteString.CopyFrom(Convert.FromHexString(traceHex));
            span.StartTimeUnixNano += start;
            span.EndTimeUnixNano += start;
            scope.Spans.Add(span);
        }

        var request = new ExportTraceServiceRequest();
        var resource = new ResourceSpans();
        resource.ScopeSpans.Add(scope);
        request.ResourceSpans.Add(resource);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(server.TrackingUri, "v1/traces")) { Content = new ByteArrayContent(request.ToByteArray()) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-protobuf");
        message.Headers.Add("x-mlflow-experiment-id", experimentId);
        using var response = Http.Send(message, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A span of 250 ms with the given id (16 hex digits), parent, name, status and attributes.</summary>
    public static Span Span(string id, string? parent, string name, Status.Types.StatusCode status, params (string Key, AnyValue Value)[] attributes)
    {
        var span = new Span
        {
            SpanId = ByteString.CopyFrom(Convert.FromHexString(id)),
            Name = name,
            StartTimeUnixNano = 1_000_000,
            EndTimeUnixNano = 251_000_000,
            Status = new Status { Code = status, Message = status == Status.Types.StatusCode.Error ? "boom" : "" },
        };
        if (parent is not null)
        {
            span.ParentSpanId = ByteString.CopyFrom(Convert.FromHexString(parent));
        }

        foreach (var (key, value) in attributes)
        {
            span.Attributes.Add(new KeyValue { Key = key, Value = value });
        }

        return span;
    }
}
