using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using Instrumentation.Mlflow;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.Mlflow.Tests;

/// <summary>Environment variables, code options, experiment resolution, and the startup errors.</summary>
public sealed class MlflowConfigurationTests
{
    private const string Uri = MlflowEnvironmentVariables.TrackingUri;
    private const string Id = MlflowEnvironmentVariables.ExperimentId;
    private const string Name = MlflowEnvironmentVariables.ExperimentName;

    /// <summary>Builds the provider and returns where the export goes.</summary>
    private static MlflowExportTarget Resolve(FakeEnvironment environment, Action<MlflowExporterOptions>? configure = null)
    {
        MlflowExportTarget? target = null;
        var builder = Providers.WithMlflow(environment, o =>
        {
            o.ExportProcessorType = ExportProcessorType.Simple;
            configure?.Invoke(o);
            o.OnResolved = t => target = t;
        });
        using var provider = builder.Build();
        return target ?? throw new InvalidOperationException("OnResolved was not called.");
    }

    /// <summary>Builds the provider, which must fail; AddMlflowExporter itself must not.</summary>
    private static MlflowConfigurationException BuildFails(FakeEnvironment environment, Action<MlflowExporterOptions>? configure = null)
    {
        var builder = Providers.WithMlflow(environment, configure);
        var error = Assert.Throws<MlflowConfigurationException>(() => builder.Build().Dispose());

        // A failed build leaves nothing listening behind.
        Assert.False(Instrumentation.Runtime.AgentTelemetry.Source.HasListeners());
        return error;
    }

    [Fact]
    public void An_experiment_name_that_exists_is_looked_up_with_GET_and_not_created()
    {
        using var mlflow = FakeMlflowServer.Start();
        var existing = mlflow.CreateExperiment("agents");

        var target = Resolve(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Name, "agents")));

        Assert.Equal(existing, target.ExperimentId);
        Assert.Equal("agents", target.ExperimentName);
        Assert.False(target.ExperimentCreated);
        var request = Assert.Single(mlflow.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/2.0/mlflow/experiments/get-by-name", request.Path);
        Assert.Equal("?experiment_name=agents", request.Query);
    }

    [Fact]
    public void A_missing_experiment_name_is_created()
    {
        using var mlflow = FakeMlflowServer.Start();

        var target = Resolve(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Name, "new agents/ü")));

        var created = mlflow.Experiments.Single(e => e.Name == "new agents/ü");
        Assert.Equal(created.Id, target.ExperimentId);
        Assert.True(target.ExperimentCreated);
        Assert.Equal(
            new[] { "GET /api/2.0/mlflow/experiments/get-by-name -> 404", "POST /api/2.0/mlflow/experiments/create -> 200" },
            mlflow.Requests.Select(r => $"{r.Method} {r.Path} -> {r.ResponseStatus}"));
        var create = mlflow.Requests[1];
        Assert.Equal("application/json", create.MediaType);
        Assert.Equal("""{"name":"new agents/\u00FC"}""", create.BodyText);
    }

    [Fact]
    public void A_concurrent_creation_is_resolved_by_a_second_lookup()
    {
        using var mlflow = FakeMlflowServer.Start();
        var lookups = 0;
        string? createdByTheOtherProcess = null;
        mlflow.Intercept = request =>
        {
            if (request.Path.EndsWith("/get-by-name", StringComparison.Ordinal) && lookups++ == 0)
            {
                // Another process creates the experiment right after our first lookup missed it.
                createdByTheOtherProcess = mlflow.CreateExperiment("raced");
                return new FakeResponse(404, """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Could not find experiment with name 'raced'"}""");
            }

            return null;
        };

        var target = Resolve(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Name, "raced")));

        Assert.Equal(createdByTheOtherProcess, target.ExperimentId);
        Assert.False(target.ExperimentCreated);
        Assert.Equal(new[] { 404, 400, 200 }, mlflow.Requests.Select(r => r.ResponseStatus));
        Assert.Contains("RESOURCE_ALREADY_EXISTS", mlflow.Requests[1].ResponseBody, StringComparison.Ordinal);
    }

    [Fact]
    public void An_experiment_id_is_checked_on_the_server()
    {
        using var mlflow = FakeMlflowServer.Start();
        var id = mlflow.CreateExperiment("by-id");

        var target = Resolve(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Id, id)));

        Assert.Equal(id, target.ExperimentId);
        Assert.Equal("by-id", target.ExperimentName);
        var request = Assert.Single(mlflow.Requests);
        Assert.Equal($"GET /api/2.0/mlflow/experiments/get?experiment_id={id} -> 200", request.ToString());
    }

    [Fact]
    public void An_unknown_experiment_id_fails_the_build_naming_the_variable_and_the_value()
    {
        using var mlflow = FakeMlflowServer.Start();
        var environment = new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Id, "42"));

        var error = BuildFails(environment);

        Assert.Equal(Id, error.Setting);
        Assert.Equal("42", error.Value);
        Assert.Equal(
            $"MLFLOW_EXPERIMENT_ID '42' does not exist on the MLflow tracking server at MLFLOW_TRACKING_URI '{mlflow.TrackingUri}' "
            + "(404 NotFound, RESOURCE_DOES_NOT_EXIST: No Experiment with id=42 exists). Set MLFLOW_EXPERIMENT_ID to an existing "
            + "experiment's id, or set MLFLOW_EXPERIMENT_NAME instead to look up (or create) an experiment by name.",
            error.Message);
    }

    [Fact]
    public void Without_an_experiment_the_Default_experiment_0_is_used_and_checked()
    {
        using var mlflow = FakeMlflowServer.Start();

        var target = Resolve(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString())));

        Assert.Equal("0", target.ExperimentId);
        Assert.Equal("Default", target.ExperimentName);
        Assert.Equal("GET /api/2.0/mlflow/experiments/get?experiment_id=0 -> 200", Assert.Single(mlflow.Requests).ToString());
    }

    [Fact]
    public void With_VerifyExperimentId_off_an_id_is_used_without_contacting_the_server()
    {
        var closedPort = LoopbackPorts.GetClosedPort();

        var target = Resolve(
            new FakeEnvironment((Uri, $"http://127.0.0.1:{closedPort}"), (Id, "7")),
            o => o.VerifyExperimentId = false);

        Assert.Equal("7", target.ExperimentId);
        Assert.Null(target.ExperimentName);
        Assert.Equal($"http://127.0.0.1:{closedPort}/v1/traces", target.TracesEndpoint.ToString());
    }

    [Fact]
    public void An_id_and_a_name_that_disagree_fail_the_build()
    {
        using var mlflow = FakeMlflowServer.Start();
        var other = mlflow.CreateExperiment("other");
        var environment = new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Id, other), (Name, "agents"));

        var error = BuildFails(environment);

        Assert.Equal(Id, error.Setting);
        Assert.Equal(
            $"MLFLOW_EXPERIMENT_ID '{other}' and MLFLOW_EXPERIMENT_NAME 'agents' disagree: experiment {other} on the MLflow tracking "
            + $"server at MLFLOW_TRACKING_URI '{mlflow.TrackingUri}' is named 'other'. Set only one of them, or make them name the same experiment.",
            error.Message);
    }

    [Fact]
    public void An_id_and_a_name_that_agree_are_accepted_without_creating_anything()
    {
        using var mlflow = FakeMlflowServer.Start();
        var id = mlflow.CreateExperiment("agents");

        var target = Resolve(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Id, id), (Name, "agents")));

        Assert.Equal(id, target.ExperimentId);
        Assert.DoesNotContain(mlflow.Requests, r => r.Method == "POST");
    }

    [Theory]
    [InlineData("localhost:5000", "MLFLOW_TRACKING_URI 'localhost:5000' is not an absolute http(s) URI; expected something like http://localhost:5000")]
    [InlineData("127.0.0.1:5000/", "MLFLOW_TRACKING_URI '127.0.0.1:5000/' is not an absolute http(s) URI; expected something like http://127.0.0.1:5000")]
    [InlineData("databricks", "MLFLOW_TRACKING_URI 'databricks' is not supported: only an MLflow tracking server over http(s) is supported (Databricks-hosted MLflow is not). Run a tracking server (uvx mlflow server --port 5000) and set it to http://localhost:5000")]
    [InlineData("sqlite:///mlflow.db", "MLFLOW_TRACKING_URI 'sqlite:///mlflow.db' is a database URI, but only an MLflow tracking server over http(s) is supported. Serve that database with mlflow server --backend-store-uri sqlite:///mlflow.db --port 5000 and set MLFLOW_TRACKING_URI to http://localhost:5000")]
    [InlineData("file:///tmp/mlruns", "MLFLOW_TRACKING_URI 'file:///tmp/mlruns' is a local file store, but only an MLflow tracking server over http(s) is supported (and it needs a SQL backend for traces). Start one with mlflow server --backend-store-uri sqlite:///mlflow.db --port 5000 and set MLFLOW_TRACKING_URI to http://localhost:5000")]
    [InlineData("./mlruns", "MLFLOW_TRACKING_URI './mlruns' is a local file store, but only an MLflow tracking server over http(s) is supported (and it needs a SQL backend for traces). Start one with mlflow server --backend-store-uri sqlite:///mlflow.db --port 5000 and set MLFLOW_TRACKING_URI to http://localhost:5000")]
    [InlineData("ftp://host/mlflow", "MLFLOW_TRACKING_URI 'ftp://host/mlflow' uses the scheme 'ftp', but only an MLflow tracking server over http(s) is supported; expected something like http://localhost:5000")]
    [InlineData("http://localhost:5000/?x=1", "MLFLOW_TRACKING_URI 'http://localhost:5000/?x=1' has a query or fragment; expected the server's address only, for example http://localhost:5000/")]
    public void A_malformed_tracking_uri_fails_the_build_naming_the_variable_and_the_value(string value, string expected)
    {
        var error = BuildFails(new FakeEnvironment((Uri, value)));

        Assert.Equal(expected, error.Message);
        Assert.Equal(Uri, error.Setting);
        Assert.Equal(value, error.Value);
    }

    [Fact]
    public void A_malformed_tracking_uri_in_code_is_named_as_the_option()
    {
        var error = BuildFails(new FakeEnvironment(), o => o.TrackingUri = new System.Uri("file:///tmp/mlruns"));

        Assert.Equal("MlflowExporterOptions.TrackingUri", error.Setting);
        Assert.StartsWith("MlflowExporterOptions.TrackingUri 'file:///tmp/mlruns' is a local file store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_lookup_against_an_unreachable_server_says_so_naming_the_uri_and_the_error()
    {
        var closedPort = LoopbackPorts.GetClosedPort();
        var uri = $"http://127.0.0.1:{closedPort}";

        var error = BuildFails(new FakeEnvironment((Uri, uri), (Name, "agents")));

        Assert.Equal(Uri, error.Setting);
        Assert.Equal(uri, error.Value);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.StartsWith(
            $"Could not look up the experiment named by MLFLOW_EXPERIMENT_NAME 'agents': the MLflow tracking server at MLFLOW_TRACKING_URI '{uri}' could not be reached (",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Is the server running? Start one with: uvx mlflow server --port 5000.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_in_time_fails_with_the_timeout()
    {
        using var mlflow = FakeMlflowServer.Start();
        using var release = new System.Threading.ManualResetEventSlim();
        mlflow.Intercept = _ =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return null;
        };

        try
        {
            var error = BuildFails(
                new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Name, "slow")),
                o => o.RestApiTimeout = TimeSpan.FromMilliseconds(200));

            Assert.Contains("could not be reached (no answer within 200 ms)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void A_tracking_uri_that_is_not_an_MLflow_server_is_reported_as_such()
    {
        // The fake under /mlflow/ answers 404 (HTML) for the root path: the base path was forgotten.
        using var mlflow = FakeMlflowServer.Start(new FakeMlflowServerOptions { BasePath = "/mlflow/" });
        var root = $"http://127.0.0.1:{mlflow.Port}/";

        var error = BuildFails(new FakeEnvironment((Uri, root), (Name, "agents")));

        Assert.Equal(
            $"Could not look up the experiment named by MLFLOW_EXPERIMENT_NAME 'agents': the server at MLFLOW_TRACKING_URI '{root}' answered "
            + $"{root}api/2.0/mlflow/experiments/get-by-name with 404 NotFound: <!doctype html><title>404 Not Found</title><h1>Not Found</h1>, "
            + "which is not an MLflow tracking server's answer. Is MLFLOW_TRACKING_URI the MLflow server's address, including any base path (for example http://host/mlflow/)?",
            error.Message);
    }

    [Fact]
    public void A_deleted_experiment_name_fails_instead_of_exporting_into_the_void()
    {
        using var mlflow = FakeMlflowServer.Start();
        var id = mlflow.CreateExperiment("old");
        mlflow.DeleteExperiment(id);

        var error = BuildFails(new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (Name, "old")));

        Assert.Equal(Name, error.Setting);
        Assert.StartsWith($"MLFLOW_EXPERIMENT_NAME 'old' names a deleted experiment (id {id})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bearer_token_is_sent_to_the_rest_api_and_with_the_traces()
    {
        using var mlflow = FakeMlflowServer.Start(new FakeMlflowServerOptions { RequiredAuthorization = "Bearer s3cr%t,token" });
        var environment = new FakeEnvironment(
            (Uri, mlflow.TrackingUri.ToString()),
            (Name, "secured"),
            (MlflowEnvironmentVariables.TrackingToken, "s3cr%t,token"));

        using (var provider = Providers.WithMlflow(environment, o => o.ExportProcessorType = ExportProcessorType.Simple).Build()!)
        {
            MlflowExportTests.RunAgent();
            provider.ForceFlush(10_000);
        }

        Assert.Equal(4, mlflow.Spans.Count);
        Assert.Contains(mlflow.Requests, r => r.Path.EndsWith("/experiments/create", StringComparison.Ordinal));
        Assert.All(mlflow.Requests, r =>
        {
            Assert.Equal("Bearer s3cr%t,token", r.Header("Authorization"));
            Assert.NotEqual(401, r.ResponseStatus);
        });
    }

    [Fact]
    public void Basic_credentials_win_over_a_token_as_in_MLflows_client()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:pa:ss"));
        using var mlflow = FakeMlflowServer.Start(new FakeMlflowServerOptions { RequiredAuthorization = basic });
        var environment = new FakeEnvironment(
            (Uri, mlflow.TrackingUri.ToString()),
            (MlflowEnvironmentVariables.TrackingUsername, "alice"),
            (MlflowEnvironmentVariables.TrackingPassword, "pa:ss"),
            (MlflowEnvironmentVariables.TrackingToken, "ignored"));

        using (var provider = Providers.WithMlflow(environment, o => o.ExportProcessorType = ExportProcessorType.Simple).Build()!)
        {
            MlflowExportTests.RunAgent();
            provider.ForceFlush(10_000);
        }

        Assert.Equal(4, mlflow.Spans.Count);
        Assert.All(mlflow.Requests, r => Assert.Equal(basic, r.Header("Authorization")));
    }

    [Fact]
    public void Credentials_the_server_refuses_fail_the_build_and_say_which_were_sent()
    {
        using var mlflow = FakeMlflowServer.Start(new FakeMlflowServerOptions { RequiredAuthorization = "Bearer right" });

        var error = BuildFails(new FakeEnvironment(
            (Uri, mlflow.TrackingUri.ToString()),
            (Name, "agents"),
            (MlflowEnvironmentVariables.TrackingToken, "wrong")));

        Assert.Equal(MlflowEnvironmentVariables.TrackingToken, error.Setting);
        Assert.Null(error.Value);
        Assert.Contains("refused the request (401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Contains("a bearer token from MLFLOW_TRACKING_TOKEN was sent", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_username_without_a_password_fails_the_build()
    {
        var error = BuildFails(new FakeEnvironment((Uri, "http://localhost:5000"), (MlflowEnvironmentVariables.TrackingUsername, "alice")));

        Assert.Equal(
            "MLFLOW_TRACKING_USERNAME 'alice' is set but MLFLOW_TRACKING_PASSWORD is not: HTTP Basic authentication needs both.",
            error.Message);
    }

    [Fact]
    public void Code_options_win_over_the_environment_and_the_experiment_is_chosen_as_a_unit()
    {
        using var mlflow = FakeMlflowServer.Start();
        var id = mlflow.CreateExperiment("from-code");
        var closedPort = LoopbackPorts.GetClosedPort();
        var environment = new FakeEnvironment(
            (Uri, $"http://127.0.0.1:{closedPort}"),
            (Name, "from-environment"),
            (MlflowEnvironmentVariables.RunId, "env-run"));

        var target = Resolve(environment, o =>
        {
            o.TrackingUri = mlflow.TrackingUri;
            o.ExperimentId = id;
            o.RunId = "code-run";
        });

        Assert.Equal(id, target.ExperimentId);
        Assert.Equal("code-run", target.RunId);
        Assert.Equal(new Uri(mlflow.TrackingUri, "v1/traces"), target.TracesEndpoint);

        // The environment's experiment name was not consulted: only the id check reached the server.
        Assert.Equal($"GET /api/2.0/mlflow/experiments/get?experiment_id={id} -> 200", Assert.Single(mlflow.Requests).ToString());
    }

    [Fact]
    public void Environment_values_fill_what_code_left_unset()
    {
        using var mlflow = FakeMlflowServer.Start();
        var environment = new FakeEnvironment((Uri, mlflow.TrackingUri.ToString()), (MlflowEnvironmentVariables.RunId, "env-run"));

        var target = Resolve(environment, o => o.ExperimentName = "named-in-code");

        Assert.Equal("named-in-code", target.ExperimentName);
        Assert.Equal("env-run", target.RunId);
        Assert.Contains(MlflowEnvironmentVariables.TrackingToken, environment.Reads);
    }

    [Fact]
    public void Without_a_tracking_uri_no_exporter_is_added_but_the_source_is()
    {
        var environment = new FakeEnvironment((Name, "agents"), (Id, "3"));
        var otlpConfigured = false;
        var resolved = false;

        Assert.False(MlflowExporter.IsConfigured(null, environment.Get));
        using (var provider = Providers.WithMlflow(environment, o =>
        {
            o.ConfigureOtlpExporter = _ => otlpConfigured = true;
            o.OnResolved = _ => resolved = true;
        }).Build()!)
        {
            var span = Instrumentation.Runtime.Spans.AgentSpan.Start("offline");
            Assert.True(span.IsRecording);
            span.End();
        }

        Assert.False(otlpConfigured);
        Assert.False(resolved);
    }

    [Fact]
    public void IsConfigured_sees_a_tracking_uri_in_code_or_in_the_environment()
    {
        Assert.True(MlflowExporter.IsConfigured(null, new FakeEnvironment((Uri, "http://localhost:5000")).Get));
        Assert.True(MlflowExporter.IsConfigured(o => o.TrackingUri = new System.Uri("http://localhost:5000"), new FakeEnvironment().Get));
        Assert.False(MlflowExporter.IsConfigured(null, new FakeEnvironment((Uri, "  ")).Get));
    }

    [Fact]
    public void An_experiment_id_that_cannot_travel_in_a_header_fails_the_build()
    {
        var error = BuildFails(new FakeEnvironment((Uri, "http://localhost:5000"), (Id, "1,2")), o => o.VerifyExperimentId = false);

        Assert.Equal(Id, error.Setting);
        Assert.StartsWith("MLFLOW_EXPERIMENT_ID '1,2' contains ','", error.Message, StringComparison.Ordinal);
    }
}
