using System;
using System.Diagnostics;
using System.Net.Http.Headers;
using Instrumentation.Mlflow.Configuration;
using Instrumentation.Mlflow.Delivery;
using Instrumentation.Testing.FakeMlflow;
using Instrumentation.Testing.FakeMlflow.Otlp;

namespace Instrumentation.Mlflow.Tests;

/// <summary>Asking MLflow whether a trace arrived (<see cref="DeliveredTraces"/>): what a restarted OpenClaw bridge
/// relies on to send a turn neither twice nor never.</summary>
public sealed class DeliveredTracesTests
{
    private const string TraceHex = "0af7651916cd43dd8448eb211c80319c";

    private static RestAccess Rest(FakeMlflowServer server, string? token = null) =>
        new(server.TrackingUri, token is null ? null : new AuthenticationHeaderValue("Bearer", token), TimeSpan.FromSeconds(5));

    private static void ExportRun(FakeMlflowServer server, string runId) =>
        OtlpRequests.Export(server, "0", TraceHex, 0,
            OtlpRequests.Span("00000000000000a1", null, "openclaw_turn", Status.Types.StatusCode.Ok,
                ("openclaw.run_id", new AnyValue { StringValue = runId })));

    [Fact]
    public void A_trace_the_server_holds_with_the_span_looked_for_arrived()
    {
        using var server = FakeMlflowServer.Start();
        ExportRun(server, "run-1");

        var answer = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1");

        Assert.Equal(new TraceArrivalAnswer(TraceArrival.Arrived, null), answer);
        var lookup = Assert.Single(server.Requests, r => r.RelativePath == "api/3.0/mlflow/traces/get");
        Assert.Equal("GET", lookup.Method);
    }

    [Fact]
    public void A_trace_the_server_does_not_hold_is_absent()
    {
        using var server = FakeMlflowServer.Start();
        ExportRun(server, "run-1");

        var answer = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString("1af7651916cd43dd8448eb211c80319c"), "openclaw.run_id", "run-1");

        Assert.Equal(TraceArrival.Absent, answer.Arrival);
    }

    [Fact]
    public void The_same_trace_without_the_span_looked_for_is_absent()
    {
        // Another run's spans in the trace (a late sub-agent nested there, sent in its own request): not this run.
        using var server = FakeMlflowServer.Start();
        ExportRun(server, "run-2");

        var answer = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1");

        Assert.Equal(TraceArrival.Absent, answer.Arrival);
    }

    [Fact]
    public void An_attribute_value_stored_JSON_encoded_matches()
    {
        // MLflow keeps span attribute values JSON-encoded; the lookup reads both forms.
        using var server = FakeMlflowServer.Start();
        ExportRun(server, "\"run-1\"");

        var answer = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1");

        Assert.Equal(TraceArrival.Arrived, answer.Arrival);
    }

    [Fact]
    public void The_lookup_sends_the_exporter_authorization()
    {
        using var server = FakeMlflowServer.Start(new FakeMlflowServerOptions { RequiredAuthorization = "Bearer secret-token" });
        var withoutToken = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1", attempts: 1);
        var withToken = DeliveredTraces.Check(Rest(server, "secret-token"), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1", attempts: 1);

        Assert.Equal(TraceArrival.Unknown, withoutToken.Arrival);
        Assert.Contains("401", withoutToken.Problem, StringComparison.Ordinal);
        Assert.Equal(TraceArrival.Absent, withToken.Arrival);
    }

    [Fact]
    public void A_server_that_cannot_be_reached_leaves_the_answer_unknown_after_the_attempts()
    {
        using var server = FakeMlflowServer.Start();
        server.GoDown();

        var answer = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1", attempts: 2);

        Assert.Equal(TraceArrival.Unknown, answer.Arrival);
        Assert.StartsWith(new Uri(server.TrackingUri, "api/3.0/mlflow/traces/get").ToString(), answer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_back_within_the_attempts_gives_the_answer()
    {
        using var server = FakeMlflowServer.Start();
        ExportRun(server, "run-1");
        var attempts = 0;
        server.Intercept = request =>
            request.RelativePath == "api/3.0/mlflow/traces/get" && ++attempts == 1 ? new FakeResponse(503, "starting", "text/plain") : null;

        var answer = DeliveredTraces.Check(Rest(server), ActivityTraceId.CreateFromString(TraceHex), "openclaw.run_id", "run-1");

        Assert.Equal(TraceArrival.Arrived, answer.Arrival);
        Assert.Equal(2, attempts);
    }
}
