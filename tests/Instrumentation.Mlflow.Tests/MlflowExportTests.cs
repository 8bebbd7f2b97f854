using System;
using System.Linq;
using Instrumentation.Mlflow;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using Instrumentation.Runtime.Usage;
using Instrumentation.Testing.FakeMlflow;
using Instrumentation.Testing.FakeMlflow.Otlp;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>AddMlflowExporter end to end: runtime spans, the stock OTLP exporter, the fake MLflow server.</summary>
public sealed class MlflowExportTests
{
    /// <summary>An agent run: an LLM call, a tool that works, a tool that fails.</summary>
    internal static void RunAgent()
    {
        var agent = AgentSpan.Start("RunAsync", agentName: "weather", sessionId: "chat-42");
        agent.SetInputsJson("""{"question":"What is the weather in Paris?"}""");

        var llm = LlmSpan.Start("CompleteAsync", model: "gpt-4o-mini", provider: "openai");
        llm.SetUsage(new TokenUsage { InputTokens = 1200, OutputTokens = 30, CacheReadInputTokens = 800 });
        llm.End();

        var forecast = ToolSpan.Start("GetForecast");
        forecast.SetInputsJson("""{"city":"Paris"}""");
        forecast.SetOutputJson("""{"city":"Paris","temperatureC":18}""");
        forecast.End();

        var failing = ToolSpan.Start("GetForecast");
        failing.SetInputsJson("""{"city":"Atlantis"}""");
        failing.SetError(new InvalidOperationException("City not found: Atlantis"));
        failing.End();

        agent.SetOutput("It is 18 °C and sunny in Paris.");
        agent.End();
    }

    [Fact]
    public void Exports_runtime_spans_as_OTLP_protobuf_to_the_experiment()
    {
        using var mlflow = FakeMlflowServer.Start();
        var experimentId = mlflow.CreateExperiment("agents");
        var environment = new FakeEnvironment(
            (MlflowEnvironmentVariables.TrackingUri, mlflow.TrackingUri.ToString()),
            (MlflowEnvironmentVariables.ExperimentName, "agents"));

        using (var provider = Providers.WithMlflow(environment).Build()!)
        {
            RunAgent();
            Assert.True(provider.ForceFlush(10_000));
        }

        var exports = mlflow.TraceExports;
        Assert.NotEmpty(exports);
        Assert.All(exports, request =>
        {
            Assert.Equal("POST", request.Method);
            Assert.Equal("/v1/traces", request.Path);
            Assert.Equal("application/x-protobuf", request.Header("Content-Type"));
            Assert.Equal(experimentId, request.Header("x-mlflow-experiment-id"));
            Assert.Equal(200, request.ResponseStatus);
        });

        // The raw bodies decode as OTLP ExportTraceServiceRequest (Google.Protobuf, the test-only .proto).
        var decodedNames = exports
            .SelectMany(r => ExportTraceServiceRequest.Parser.ParseFrom(r.DecodedBody ?? r.Body).ResourceSpans)
            .SelectMany(rs => rs.ScopeSpans)
            .SelectMany(ss => ss.Spans)
            .Select(s => s.Name)
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "CompleteAsync", "GetForecast", "GetForecast", "RunAsync" }, decodedNames);

        var trace = Assert.Single(mlflow.Traces);
        var root = trace.Span("RunAsync");
        var llm = trace.Span("CompleteAsync");
        var tools = trace.Spans.Where(s => s.Name == "GetForecast").OrderBy(s => s.StartTimeUnixNano).ToList();

        // mlflow.spanType travels bare, so MLflow's span search (span.type = 'LLM') finds it.
        Assert.Equal("AGENT", root.SpanType);
        Assert.Equal("LLM", llm.SpanType);
        Assert.All(tools, t => Assert.Equal("TOOL", t.SpanType));
        Assert.Equal(MlflowAttributes.SpanType, root.Attributes.Keys.Single(k => k == "mlflow.spanType"));

        // Parent links and statuses as MLflow reads them.
        Assert.True(root.IsRoot);
        Assert.All(new[] { llm, tools[0], tools[1] }, child => Assert.Equal(root.SpanId, child.ParentSpanId));
        Assert.Equal(ReceivedStatus.Ok, root.Status);
        Assert.Equal(ReceivedStatus.Ok, tools[0].Status);
        Assert.Equal(ReceivedStatus.Error, tools[1].Status);
        Assert.Equal("City not found: Atlantis", tools[1].StatusMessage);
        Assert.Equal("exception", Assert.Single(tools[1].Events).Name);
        Assert.Equal(Instrumentation.Runtime.AgentTelemetry.SourceName, root.ScopeName);

        // What MLflow would show for the trace.
        Assert.Equal("tr-" + root.TraceId, trace.TraceId);
        Assert.Equal("OK", trace.State);
        Assert.Equal("RunAsync", trace.Name);
        Assert.Equal("chat-42", trace.Session);
        Assert.Equal("""{"question":"What is the weather in Paris?"}""", trace.RequestPreview);
        Assert.Equal("\"It is 18 °C and sunny in Paris.\"", trace.ResponsePreview);
        Assert.Equal(new FakeTokenUsage(1200, 30, 1230, 800, 0), trace.TokenUsage);
        Assert.Equal(experimentId, trace.ExperimentId);
    }

    [Fact]
    public void A_base_path_in_the_tracking_uri_is_kept_for_the_rest_calls_and_the_traces()
    {
        using var mlflow = FakeMlflowServer.Start(new FakeMlflowServerOptions { BasePath = "/mlflow/" });

        // Without the trailing slash, as users type it.
        var uri = mlflow.TrackingUri.ToString().TrimEnd('/');
        Assert.EndsWith("/mlflow", uri, StringComparison.Ordinal);
        MlflowExportTarget? target = null;
        var environment = new FakeEnvironment(
            (MlflowEnvironmentVariables.TrackingUri, uri),
            (MlflowEnvironmentVariables.ExperimentName, "behind-a-proxy"));

        using (var provider = Providers.WithMlflow(environment, o =>
        {
            o.ExportProcessorType = ExportProcessorType.Simple;
            o.OnResolved = t => target = t;
        }).Build()!)
        {
            RunAgent();
            provider.ForceFlush(10_000);
        }

        Assert.NotNull(target);
        Assert.Equal(uri + "/v1/traces", target.TracesEndpoint.ToString());
        Assert.Equal(uri + "/#/experiments/" + target.ExperimentId, target.ExperimentPage.ToString());
        Assert.Equal(
            new[] { "/mlflow/api/2.0/mlflow/experiments/get-by-name", "/mlflow/api/2.0/mlflow/experiments/create" },
            mlflow.Requests.Where(r => r.Path.Contains("/api/", StringComparison.Ordinal)).Select(r => r.Path));
        Assert.NotEmpty(mlflow.TraceExports);
        Assert.All(mlflow.TraceExports, r => Assert.Equal("/mlflow/v1/traces", r.Path));
        Assert.Equal(4, mlflow.Spans.Count);
    }

    [Fact]
    public void The_run_id_travels_as_a_header_with_every_export()
    {
        using var mlflow = FakeMlflowServer.Start();
        var environment = new FakeEnvironment(
            (MlflowEnvironmentVariables.TrackingUri, mlflow.TrackingUri.ToString()),
            (MlflowEnvironmentVariables.RunId, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"));

        using (var provider = Providers.WithMlflow(environment, o => o.ExportProcessorType = ExportProcessorType.Simple).Build()!)
        {
            RunAgent();
            provider.ForceFlush(10_000);
        }

        Assert.NotEmpty(mlflow.TraceExports);
        Assert.All(mlflow.TraceExports, r =>
        {
            Assert.Equal("0a1b2c3d4e5f60718293a4b5c6d7e8f9", r.Header("x-mlflow-run-id"));
            Assert.Equal("0", r.Header("x-mlflow-experiment-id"));
        });
        Assert.All(mlflow.Spans, s => Assert.Equal("0a1b2c3d4e5f60718293a4b5c6d7e8f9", s.RunId));
    }

    [Fact]
    public void Works_beside_the_applications_own_OTLP_exporter()
    {
        using var mlflow = FakeMlflowServer.Start();

        // A second OTLP/HTTP receiver stands in for the user's collector or Jaeger; it accepts experiment 0's header.
        using var collector = FakeMlflowServer.Start();
        var environment = new FakeEnvironment(
            (MlflowEnvironmentVariables.TrackingUri, mlflow.TrackingUri.ToString()),
            (MlflowEnvironmentVariables.ExperimentName, "side-by-side"));

        using (var provider = Providers.WithMlflow(environment, o => o.ExportProcessorType = ExportProcessorType.Simple)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(collector.TrackingUri, "v1/traces");
                o.Headers = "x-mlflow-experiment-id=0,x-collector=yes";
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build()!)
        {
            RunAgent();
            provider.ForceFlush(10_000);
        }

        var experimentId = mlflow.Experiments.Single(e => e.Name == "side-by-side").Id;
        Assert.Equal(4, mlflow.Spans.Count);
        Assert.Equal(4, collector.Spans.Count);
        Assert.All(mlflow.TraceExports, r =>
        {
            Assert.Equal(experimentId, r.Header("x-mlflow-experiment-id"));
            Assert.Null(r.Header("x-collector"));
        });
        Assert.All(collector.TraceExports, r =>
        {
            Assert.Equal("0", r.Header("x-mlflow-experiment-id"));
            Assert.Equal("yes", r.Header("x-collector"));
        });
    }

    [Fact]
    public void The_console_tree_and_the_mlflow_export_can_run_together()
    {
        using var mlflow = FakeMlflowServer.Start();
        var environment = new FakeEnvironment((MlflowEnvironmentVariables.TrackingUri, mlflow.TrackingUri.ToString()));
        var output = new System.IO.StringWriter();

        using (var provider = Providers.WithMlflow(environment, o => o.ExportProcessorType = ExportProcessorType.Simple)
            .AddTraceTreeConsoleExporter(o => o.Output = output)
            .Build()!)
        {
            RunAgent();
            provider.ForceFlush(10_000);
        }

        Assert.Equal(4, mlflow.Spans.Count);
        var trace = Assert.Single(mlflow.Traces);
        Assert.StartsWith($"trace {trace.TraceId} · 4 spans · tokens 1200 in (800 cached) / 30 out\nAGENT RunAsync · ", output.ToString(), StringComparison.Ordinal);
    }
}
