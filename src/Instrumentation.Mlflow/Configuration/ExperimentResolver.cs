using System;
using System.Net;
using System.Text.Json;

namespace Instrumentation.Mlflow.Configuration;

/// <summary>
/// Decides, when the tracer provider is built, which experiment receives the traces:
/// <list type="bullet">
/// <item>a name only: looked up (<c>GET experiments/get-by-name</c>), created when missing (<c>POST experiments/create</c>;
/// a concurrent creation, <c>RESOURCE_ALREADY_EXISTS</c>, is followed by a second lookup);</item>
/// <item>an id only: checked (<c>GET experiments/get</c>) unless <see cref="MlflowExporterOptions.VerifyExperimentId"/> is off;</item>
/// <item>both: the id is checked and must carry that name, otherwise the build fails (the same rule as MLflow's Python
/// client, which refuses an <c>MLFLOW_EXPERIMENT_ID</c> that does not match <c>MLFLOW_EXPERIMENT_NAME</c>);</item>
/// <item>neither: MLflow's Default experiment, id <c>0</c>, as MLflow's own clients do.</item>
/// </list>
/// Every failure is an <see cref="MlflowConfigurationException"/> naming the setting and its value.
/// </summary>
internal sealed class ExperimentResolver
{
    private const string StartServerHint = "Is the server running? Start one with: uvx mlflow server --port 5000";

    private readonly ValidatedSettings _validated;
    private readonly MlflowRestClient _client;

    private ExperimentResolver(ValidatedSettings validated, MlflowRestClient client)
    {
        _validated = validated;
        _client = client;
    }

    private MlflowSettings Settings => _validated.Settings;

    private Setting Uri => _validated.TrackingUriSetting;

    public static MlflowExportTarget Resolve(ValidatedSettings validated)
    {
        var settings = validated.Settings;
        var runId = settings.RunId?.Value;
        if (settings.ExperimentName is null && !settings.VerifyExperimentId)
        {
            // Nothing to ask the server: the app starts even when MLflow is down.
            return new MlflowExportTarget(validated.BaseUri, settings.ExperimentId?.Value ?? MlflowSettings.DefaultExperimentId, null, false, runId);
        }

        using var client = new MlflowRestClient(validated.BaseUri, settings.RestApiTimeout, validated.Authorization);
        return new ExperimentResolver(validated, client).Resolve(runId);
    }

    private MlflowExportTarget Resolve(string? runId)
    {
        if (Settings.ExperimentName is { } name)
        {
            if (Settings.ExperimentId is { } id)
            {
                var experiment = Verify(id, isDefault: false);
                if (!string.Equals(experiment.Name, name.Value, StringComparison.Ordinal))
                {
                    throw new MlflowConfigurationException(
                        $"{id} and {name} disagree: experiment {experiment.Id} on the MLflow tracking server at {Uri} is named "
                        + $"'{experiment.Name}'. Set only one of them, or make them name the same experiment.",
                        id.Source, id.Value);
                }

                return Target(experiment, created: false, runId);
            }

            var (found, created) = LookUpOrCreate(name);
            return Target(found, created, runId);
        }

        var chosen = Settings.ExperimentId;
        var checkedExperiment = chosen is { } explicitId
            ? Verify(explicitId, isDefault: false)
            : Verify(new Setting(MlflowSettings.DefaultExperimentId, MlflowEnvironmentVariables.ExperimentId), isDefault: true);
        return Target(checkedExperiment, created: false, runId);
    }

    private MlflowExportTarget Target(Experiment experiment, bool created, string? runId)
    {
        HeaderValues.Check(new Setting(experiment.Id, "the experiment id the server returned"));
        return new MlflowExportTarget(_validated.BaseUri, experiment.Id, experiment.Name, created, runId);
    }

    private Experiment Verify(Setting id, bool isDefault)
    {
        var what = isDefault
            ? $"check MLflow's Default experiment (id 0, used because neither {MlflowEnvironmentVariables.ExperimentId} nor {MlflowEnvironmentVariables.ExperimentName} is set)"
            : $"check {id}";
        var response = Call(() => _client.GetExperiment(id.Value), what, MlflowRestClient.GetExperimentPath, canSkipCheck: true);
        if (response.ErrorCode == "RESOURCE_DOES_NOT_EXIST" || (response.Status == HttpStatusCode.NotFound && response.ErrorCode is not null))
        {
            var alternative = id.Source.StartsWith("MlflowExporterOptions.", StringComparison.Ordinal)
                ? "MlflowExporterOptions.ExperimentName"
                : MlflowEnvironmentVariables.ExperimentName;
            var message = isDefault
                ? $"MLflow's Default experiment (id 0), used because neither {MlflowEnvironmentVariables.ExperimentId} nor "
                  + $"{MlflowEnvironmentVariables.ExperimentName} is set, does not exist on the MLflow tracking server at {Uri} "
                  + $"({response.Describe()}). Set {MlflowEnvironmentVariables.ExperimentId} to an existing experiment, or "
                  + $"{MlflowEnvironmentVariables.ExperimentName} to look one up (or create it) by name."
                : $"{id} does not exist on the MLflow tracking server at {Uri} ({response.Describe()}). Set {id.Source} to an "
                  + $"existing experiment's id, or set {alternative} instead to look up (or create) an experiment by name.";
            throw new MlflowConfigurationException(message, id.Source, isDefault ? null : id.Value);
        }

        var experiment = ReadExperiment(response, what, MlflowRestClient.GetExperimentPath, isDefault ? null : id);
        if (experiment.IsDeleted)
        {
            throw new MlflowConfigurationException(
                $"{id} names the experiment '{experiment.Name}', which is deleted. Restore it "
                + $"(mlflow experiments restore --experiment-id {experiment.Id}) or choose another experiment.",
                id.Source, id.Value);
        }

        return experiment;
    }

    private (Experiment Experiment, bool Created) LookUpOrCreate(Setting name)
    {
        var what = $"look up the experiment named by {name}";
        var found = FindByName(name, what);
        if (found is not null)
        {
            return (CheckNotDeleted(found, name), false);
        }

        var response = Call(() => _client.CreateExperiment(name.Value), $"create the experiment named by {name}", MlflowRestClient.CreateExperimentPath, canSkipCheck: false);
        if (response.ErrorCode == "RESOURCE_ALREADY_EXISTS")
        {
            // Someone created it between our lookup and our creation (another process starting at the same time).
            found = FindByName(name, what);
            if (found is not null)
            {
                return (CheckNotDeleted(found, name), false);
            }
        }

        if (response.IsSuccess && response.Json is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("experiment_id", out var idElement) && ReadId(idElement) is { } createdId)
        {
            return (new Experiment(createdId, name.Value, IsDeleted: false), true);
        }

        throw Unexpected(response, $"create the experiment named by {name}", MlflowRestClient.CreateExperimentPath, name);
    }

    private Experiment? FindByName(Setting name, string what)
    {
        var response = Call(() => _client.GetExperimentByName(name.Value), what, MlflowRestClient.GetExperimentByNamePath, canSkipCheck: false);
        if (response.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }

        return ReadExperiment(response, what, MlflowRestClient.GetExperimentByNamePath, name);
    }

    private static Experiment CheckNotDeleted(Experiment experiment, Setting name)
    {
        if (experiment.IsDeleted)
        {
            throw new MlflowConfigurationException(
                $"{name} names a deleted experiment (id {experiment.Id}), and MLflow does not reuse the name of a deleted experiment. "
                + $"Restore it (mlflow experiments restore --experiment-id {experiment.Id}), delete it for good (mlflow gc), or choose another name.",
                name.Source, name.Value);
        }

        return experiment;
    }

    private Experiment ReadExperiment(RestResponse response, string what, string path, Setting? blame = null)
    {
        if (response.IsSuccess && response.Json is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("experiment", out var experiment) && experiment.ValueKind == JsonValueKind.Object
            && experiment.TryGetProperty("experiment_id", out var idElement) && ReadId(idElement) is { } id)
        {
            var name = experiment.TryGetProperty("name", out var nameElement) && nameElement.ValueKind == JsonValueKind.String
                ? nameElement.GetString()
                : null;
            var deleted = experiment.TryGetProperty("lifecycle_stage", out var stage) && stage.ValueKind == JsonValueKind.String
                && string.Equals(stage.GetString(), "deleted", StringComparison.OrdinalIgnoreCase);
            return new Experiment(id, name, deleted);
        }

        throw Unexpected(response, what, path, blame);
    }

    private static string? ReadId(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String when !string.IsNullOrWhiteSpace(element.GetString()) => element.GetString(),
        JsonValueKind.Number => element.GetRawText(),
        _ => null,
    };

    private RestResponse Call(Func<RestResponse> call, string what, string path, bool canSkipCheck)
    {
        RestResponse response;
        try
        {
            response = call();
        }
        catch (RestTransportException ex)
        {
            var skip = canSkipCheck ? " To start without checking the experiment, set MlflowExporterOptions.VerifyExperimentId = false." : string.Empty;
            throw new MlflowConfigurationException(
                $"Could not {what}: the MLflow tracking server at {Uri} could not be reached ({ex.Message}). {StartServerHint}.{skip}",
                Uri.Source, Uri.Value, ex.InnerException);
        }

        if (response.Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var credentials = Settings.Username is { } user
                ? $"HTTP Basic authentication from {user.Source} was sent"
                : Settings.Token is { } token
                    ? $"a bearer token from {token.Source} was sent"
                    : "no credentials were sent";
            throw new MlflowConfigurationException(
                $"Could not {what}: the MLflow tracking server at {Uri} refused the request ({response.Describe()}); {credentials}. "
                + $"Set {MlflowEnvironmentVariables.TrackingToken}, or {MlflowEnvironmentVariables.TrackingUsername} and "
                + $"{MlflowEnvironmentVariables.TrackingPassword}, to credentials the server accepts.",
                Settings.Username?.Source ?? Settings.Token?.Source ?? Uri.Source,
                Settings.Username?.Value ?? (Settings.Token is null ? Uri.Value : null));
        }

        if (response.ErrorCode is null && !response.IsSuccess)
        {
            throw Unexpected(response, what, path);
        }

        return response;
    }

    private MlflowConfigurationException Unexpected(RestResponse response, string what, string path, Setting? blame = null)
    {
        var address = _client.AddressOf(path);
        if (response.ErrorCode is not null)
        {
            return new MlflowConfigurationException(
                $"Could not {what}: the MLflow tracking server at {Uri} answered {response.Describe()}.",
                blame?.Source ?? Uri.Source, blame?.Value ?? Uri.Value);
        }

        return new MlflowConfigurationException(
            $"Could not {what}: the server at {Uri} answered {address} with {response.Describe()}, which is not an MLflow "
            + $"tracking server's answer. Is {Uri.Source} the MLflow server's address, including any base path (for example http://host/mlflow/)?",
            Uri.Source, Uri.Value);
    }

    private sealed record Experiment(string Id, string? Name, bool IsDeleted);
}
