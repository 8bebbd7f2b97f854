using System;
using System.Net.Http.Headers;
using System.Text;
using OpenTelemetry;
using OpenTelemetry.Exporter;

namespace Instrumentation.Mlflow.Configuration;

/// <summary>A configured value and where it came from: an environment variable or an option, named in error messages.</summary>
internal readonly record struct Setting(string Value, string Source)
{
    public static Setting? FromOption(string? value, string optionName) =>
        string.IsNullOrWhiteSpace(value) ? null : new Setting(value.Trim(), "MlflowExporterOptions." + optionName);

    public static Setting? FromEnvironment(Func<string, string?> environment, string variable) =>
        environment(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? new Setting(value.Trim(), variable) : null;

    /// <summary><c>MLFLOW_EXPERIMENT_ID '42'</c>: how messages name a setting.</summary>
    public override string ToString() => $"{Source} '{Value}'";
}

/// <summary>
/// The code options merged with the environment (code wins), read once when <c>AddMlflowExporter()</c> is called.
/// Reading never throws: everything that can be wrong is reported by <see cref="Validate"/>, when the tracer provider
/// is built.
/// </summary>
internal sealed class MlflowSettings
{
    /// <summary>MLflow's Default experiment, which every MLflow SQL store creates with id 0 and which MLflow's own
    /// clients use when no experiment is set.</summary>
    public const string DefaultExperimentId = "0";

    private MlflowSettings()
    {
    }

    public Setting? TrackingUri { get; private init; }

    public Uri? TrackingUriFromCode { get; private init; }

    public Setting? ExperimentId { get; private init; }

    public Setting? ExperimentName { get; private init; }

    public Setting? RunId { get; private init; }

    public Setting? Token { get; private init; }

    public Setting? Username { get; private init; }

    public Setting? Password { get; private init; }

    public TimeSpan RestApiTimeout { get; private init; }

    public bool VerifyExperimentId { get; private init; }

    public ExportProcessorType ExportProcessorType { get; private init; }

    public Action<OtlpExporterOptions>? ConfigureOtlpExporter { get; private init; }

    public Action<MlflowExportTarget>? OnResolved { get; private init; }

    /// <summary>A snapshot of <see cref="MlflowExporterOptions.Delivery"/>.</summary>
    public MlflowDeliveryOptions Delivery { get; private init; } = new();

    /// <summary>Whether a tracking URI is set, in code or in the environment: without one there is nothing to export to.</summary>
    public bool IsConfigured => TrackingUri is not null;

    public static MlflowSettings Read(MlflowExporterOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);

        Setting? trackingUri = options.TrackingUri is { } uri
            ? new Setting(uri.OriginalString, "MlflowExporterOptions.TrackingUri")
            : Setting.FromEnvironment(environment, MlflowEnvironmentVariables.TrackingUri);

        // The experiment is one choice: when code names it, the environment's id and name are both ignored.
        var idFromCode = Setting.FromOption(options.ExperimentId, nameof(MlflowExporterOptions.ExperimentId));
        var nameFromCode = Setting.FromOption(options.ExperimentName, nameof(MlflowExporterOptions.ExperimentName));
        var experimentInCode = idFromCode is not null || nameFromCode is not null;

        var usernameFromCode = Setting.FromOption(options.TrackingUsername, nameof(MlflowExporterOptions.TrackingUsername));
        var passwordFromCode = Setting.FromOption(options.TrackingPassword, nameof(MlflowExporterOptions.TrackingPassword));
        var basicInCode = usernameFromCode is not null || passwordFromCode is not null;

        return new MlflowSettings
        {
            TrackingUri = trackingUri,
            TrackingUriFromCode = options.TrackingUri,
            ExperimentId = experimentInCode ? idFromCode : Setting.FromEnvironment(environment, MlflowEnvironmentVariables.ExperimentId),
            ExperimentName = experimentInCode ? nameFromCode : Setting.FromEnvironment(environment, MlflowEnvironmentVariables.ExperimentName),
            RunId = Setting.FromOption(options.RunId, nameof(MlflowExporterOptions.RunId))
                ?? Setting.FromEnvironment(environment, MlflowEnvironmentVariables.RunId),
            Token = Setting.FromOption(options.TrackingToken, nameof(MlflowExporterOptions.TrackingToken))
                ?? Setting.FromEnvironment(environment, MlflowEnvironmentVariables.TrackingToken),
            Username = basicInCode ? usernameFromCode : Setting.FromEnvironment(environment, MlflowEnvironmentVariables.TrackingUsername),
            Password = basicInCode ? passwordFromCode : Setting.FromEnvironment(environment, MlflowEnvironmentVariables.TrackingPassword),
            RestApiTimeout = options.RestApiTimeout,
            VerifyExperimentId = options.VerifyExperimentId,
            ExportProcessorType = options.ExportProcessorType,
            ConfigureOtlpExporter = options.ConfigureOtlpExporter,
            OnResolved = options.OnResolved,
            Delivery = options.Delivery.Clone(),
        };
    }

    /// <summary>
    /// Checks everything that can be checked without the server, and returns what the export needs.
    /// </summary>
    /// <exception cref="MlflowConfigurationException">A setting is malformed or settings contradict each other.</exception>
    public ValidatedSettings Validate()
    {
        if (TrackingUri is not { } trackingUri)
        {
            throw new MlflowConfigurationException(
                $"{MlflowEnvironmentVariables.TrackingUri} is not set and MlflowExporterOptions.TrackingUri is null: there is no MLflow tracking server to export to.",
                MlflowEnvironmentVariables.TrackingUri);
        }

        var baseUri = TrackingUriParser.Parse(trackingUri, TrackingUriFromCode);
        if (ExperimentId is { } id)
        {
            HeaderValues.Check(id);
        }

        if (RunId is { } run)
        {
            HeaderValues.Check(run);
        }

        return new ValidatedSettings(this, trackingUri, baseUri, Authorization());
    }

    private AuthenticationHeaderValue? Authorization()
    {
        if (Username is not null || Password is not null)
        {
            if (Username is not { } user)
            {
                throw new MlflowConfigurationException(
                    $"{Password!.Value.Source} is set but {PairName(Password.Value.Source, MlflowEnvironmentVariables.TrackingUsername, nameof(MlflowExporterOptions.TrackingUsername))} is not: HTTP Basic authentication needs both.",
                    Password.Value.Source);
            }

            if (Password is not { } password)
            {
                throw new MlflowConfigurationException(
                    $"{user} is set but {PairName(user.Source, MlflowEnvironmentVariables.TrackingPassword, nameof(MlflowExporterOptions.TrackingPassword))} is not: HTTP Basic authentication needs both.",
                    user.Source, user.Value);
            }

            HeaderValues.CheckCredential(user.Value, user.Source, showValue: true);
            HeaderValues.CheckCredential(password.Value, password.Source, showValue: false);
            if (user.Value.Contains(':', StringComparison.Ordinal))
            {
                throw new MlflowConfigurationException(
                    $"{user} contains ':', which HTTP Basic authentication cannot carry in a user name.", user.Source, user.Value);
            }

            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(user.Value + ":" + password.Value));
            return new AuthenticationHeaderValue("Basic", basic);
        }

        if (Token is { } token)
        {
            HeaderValues.CheckCredential(token.Value, token.Source, showValue: false);
            return new AuthenticationHeaderValue("Bearer", token.Value);
        }

        return null;
    }

    private static string PairName(string source, string variable, string option) =>
        source.StartsWith("MlflowExporterOptions.", StringComparison.Ordinal) ? "MlflowExporterOptions." + option : variable;
}

/// <summary>Settings that passed the offline checks.</summary>
internal sealed record ValidatedSettings(MlflowSettings Settings, Setting TrackingUriSetting, Uri BaseUri, AuthenticationHeaderValue? Authorization);

/// <summary>Checks on values that travel in HTTP headers.</summary>
internal static class HeaderValues
{
    /// <summary>Ids go into the OTLP exporter's <c>Headers</c> string, which is split on commas.</summary>
    public static void Check(Setting setting)
    {
        foreach (var c in setting.Value)
        {
            if (c == ',' || char.IsControl(c) || char.IsWhiteSpace(c) || c > '\u007e')
            {
                throw new MlflowConfigurationException(
                    $"{setting} contains '{Printable(c)}', which cannot be sent in an HTTP header. MLflow ids are plain ASCII, for example 123 or 0a1b2c...",
                    setting.Source, setting.Value);
            }
        }
    }

    public static void CheckCredential(string value, string source, bool showValue)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                var shown = showValue ? $" '{value}'" : string.Empty;
                throw new MlflowConfigurationException(
                    $"{source}{shown} contains a control character (a line break?), which cannot be sent in an HTTP header.",
                    source, showValue ? value : null);
            }
        }
    }

    /// <summary>The OTLP exporter unescapes its <c>Headers</c> string before splitting it: escape <c>%</c>.</summary>
    public static string Escape(string value) => value.Replace("%", "%25", StringComparison.Ordinal);

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
