using System;
using System.Text.RegularExpressions;

namespace Instrumentation.Mlflow.Configuration;

/// <summary>
/// Turns a tracking URI into the server's base address (ending with <c>/</c>, so a base path such as
/// <c>http://host/mlflow</c> is kept when <c>v1/traces</c> and <c>api/2.0/...</c> are resolved against it), or explains
/// what is wrong with it.
/// </summary>
internal static partial class TrackingUriParser
{
    private const string OnlyHttp = "only an MLflow tracking server over http(s) is supported";

    public static Uri Parse(Setting setting, Uri? fromCode)
    {
        var text = setting.Value;
        Uri? uri = fromCode;
        if (uri is null && !Uri.TryCreate(text, UriKind.Absolute, out uri))
        {
            uri = null;
        }

        if (uri is { IsAbsoluteUri: true } absolute
            && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps)
            && !string.IsNullOrEmpty(absolute.Host))
        {
            return Normalize(absolute, setting);
        }

        throw new MlflowConfigurationException(Explain(text, uri, setting), setting.Source, text);
    }

    private static Uri Normalize(Uri uri, Setting setting)
    {
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new MlflowConfigurationException(
                $"{setting} has a query or fragment; expected the server's address only, for example {uri.GetLeftPart(UriPartial.Path)}",
                setting.Source, setting.Value);
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new MlflowConfigurationException(
                $"{setting.Source} carries credentials in the URI; put them in {MlflowEnvironmentVariables.TrackingUsername} and "
                + $"{MlflowEnvironmentVariables.TrackingPassword} (or {MlflowEnvironmentVariables.TrackingToken}) instead, and set {setting.Source} to "
                + new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path),
                setting.Source);
        }

        var builder = new UriBuilder(uri);
        if (!builder.Path.EndsWith('/'))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    private static string Explain(string text, Uri? parsed, Setting setting)
    {
        var lower = text.ToLowerInvariant();
        if (lower == "databricks" || lower.StartsWith("databricks:", StringComparison.Ordinal) || lower.StartsWith("databricks-uc", StringComparison.Ordinal))
        {
            return $"{setting} is not supported: {OnlyHttp} (Databricks-hosted MLflow is not). Run a tracking server "
                + "(uvx mlflow server --port 5000) and set it to http://localhost:5000";
        }

        if (lower.StartsWith("sqlite:", StringComparison.Ordinal) || lower.StartsWith("postgresql", StringComparison.Ordinal)
            || lower.StartsWith("mysql", StringComparison.Ordinal) || lower.StartsWith("mssql", StringComparison.Ordinal))
        {
            return $"{setting} is a database URI, but {OnlyHttp}. Serve that database with "
                + $"mlflow server --backend-store-uri {text} --port 5000 and set {setting.Source} to http://localhost:5000";
        }

        if (lower.StartsWith("file:", StringComparison.Ordinal) || LooksLikePath(text))
        {
            return $"{setting} is a local file store, but {OnlyHttp} (and it needs a SQL backend for traces). Start one with "
                + $"mlflow server --backend-store-uri sqlite:///mlflow.db --port 5000 and set {setting.Source} to http://localhost:5000";
        }

        if (HostAndPort().IsMatch(text))
        {
            return $"{setting} is not an absolute http(s) URI; expected something like http://{text.TrimEnd('/')}";
        }

        if (parsed is { IsAbsoluteUri: true } && parsed.Scheme is not ("http" or "https"))
        {
            return $"{setting} uses the scheme '{parsed.Scheme}', but {OnlyHttp}; expected something like http://localhost:5000";
        }

        return $"{setting} is not an absolute http(s) URI; expected something like http://localhost:5000 ({OnlyHttp})";
    }

    private static bool LooksLikePath(string text) =>
        text.StartsWith('/') || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal)
        || text.StartsWith('~') || text.Contains('\\', StringComparison.Ordinal) || (text.Length > 2 && text[1] == ':' && char.IsLetter(text[0]) && text[2] is '\\' or '/')
        || string.Equals(text, "mlruns", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>localhost:5000</c>, <c>127.0.0.1:5000/</c>, <c>mlflow.internal:8080/base</c>: a scheme was forgotten.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9.\-]+:\d{1,5}(/.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostAndPort();
}
