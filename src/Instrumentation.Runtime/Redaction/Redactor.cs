using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Instrumentation.Runtime.Diagnostics;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// The redaction policy in effect: the built-in rules plus what <see cref="RedactionOptions"/> adds, compiled once per
/// <see cref="AgentTelemetry.Configure"/>. Every recorded value passes through it: <see cref="IsSecretName(string)"/> for keys,
/// <see cref="RedactText"/> for strings.
/// </summary>
internal sealed class Redactor
{
    private readonly SecretNames _names;
    private readonly SecretValues _values;
    private readonly Func<string, string>? _custom;

    private Redactor(SecretNames names, SecretValues values, Func<string, string>? custom)
    {
        _names = names;
        _values = values;
        _custom = custom;
    }

    /// <summary>The policy when redaction is off: <see langword="null"/>, so callers test one reference.</summary>
    public static Redactor? From(RedactionOptions options)
    {
        if (!options.Enabled)
        {
            return null;
        }

        if (options.SecretNames.Count == 0 && options.SecretValuePatterns.Count == 0 && options.CustomRedactor is null)
        {
            return Default;
        }

        var names = new List<string>(RedactionRules.SecretNames);
        names.AddRange(options.SecretNames);
        var patterns = new List<Regex>();
        for (var i = 0; i < options.SecretValuePatterns.Count; i++)
        {
            patterns.Add(RedactionRules.Compile(options.SecretValuePatterns[i], ignoreCase: false, $"AgentTelemetryOptions.Redaction.SecretValuePatterns[{i}]"));
        }

        return new Redactor(new SecretNames(names), new SecretValues(RedactionRules.SecretValues, patterns, RedactionRules.Marker), options.CustomRedactor);
    }

    /// <summary>The built-in rules alone.</summary>
    public static Redactor Default => s_default.Value;

    private static readonly Lazy<Redactor> s_default = new(() => new Redactor(
        new SecretNames(RedactionRules.SecretNames), new SecretValues(RedactionRules.SecretValues, Array.Empty<Regex>(), RedactionRules.Marker), null));

    /// <summary>What a redacted value is recorded as: <c>[REDACTED]</c>.</summary>
    public static string Marker => RedactionRules.Marker;

    public bool IsSecretName(ReadOnlySpan<char> name) => _names.IsSecret(name);

    public bool IsSecretName(string? name) => name is not null && _names.IsSecret(name);

    /// <summary>Whether UTF-8 JSON (a serialized value, or one token of it) might hold a secret-shaped value once its
    /// strings are decoded.</summary>
    public bool MayHoldSecretValue(ReadOnlySpan<byte> utf8Json) => _custom is not null || _values.MayMatchJson(utf8Json);

    /// <summary>Whether text might hold a secret-shaped value.</summary>
    public bool MayHoldSecretValue(ReadOnlySpan<char> text) => _custom is not null || _values.MayMatch(text);

    /// <summary>Whether JSON text might hold a secret-shaped value once its strings are decoded.</summary>
    public bool MayHoldSecretValueInJson(ReadOnlySpan<char> json) => _custom is not null || _values.MayMatchJson(json);

    /// <summary>The text with secret-shaped values replaced; the same instance when nothing was.</summary>
    public string RedactText(string text)
    {
        try
        {
            var result = _values.Redact(text);
            return _custom is null ? result : _custom(result) ?? Marker;
        }
        catch (Exception ex)
        {
            // A regex that timed out, or a custom redactor that threw: record nothing rather than the secret.
            FailOpen.Report("redacting a recorded value", ex);
            return Marker;
        }
    }
}
