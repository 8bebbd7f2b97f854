using System;
using System.Net.Http.Headers;

namespace Instrumentation.Mlflow.Configuration;

/// <summary>How the exporter reaches the tracking server's REST API: its base address (ending with <c>/</c>), the
/// <c>Authorization</c> header of <c>MLFLOW_TRACKING_TOKEN</c> or <c>MLFLOW_TRACKING_USERNAME</c>/<c>_PASSWORD</c>, and
/// the timeout of one call.</summary>
internal sealed record RestAccess(Uri BaseUri, AuthenticationHeaderValue? Authorization, TimeSpan Timeout)
{
    public static RestAccess Of(ValidatedSettings validated) =>
        new(validated.BaseUri, validated.Authorization, validated.Settings.RestApiTimeout);

    public MlflowRestClient CreateClient() => new(BaseUri, Timeout, Authorization);
}
