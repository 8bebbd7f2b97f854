using System;
using System.Collections.Generic;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// What recorded content is redacted, before it reaches a span: <see cref="AgentTelemetryOptions.Redaction"/>. By default
/// the built-in rules apply (docs/redaction.md lists them): values under secret-named keys at any depth (parameters,
/// properties, dictionary keys, JSON object keys) and secret-shaped values inside any recorded string. The key stays;
/// the value becomes <c>[REDACTED]</c>.
/// </summary>
public sealed class RedactionOptions
{
    /// <summary>Whether recorded content is redacted. <see langword="false"/> records every value as it is, except
    /// parameters marked <c>[Redact]</c>, which are never recorded. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// More secret names, added to the built-in ones: each is one or more words (<c>"ssn"</c>, <c>"account number"</c>),
    /// matched against keys split into words the same way (<c>accountNumber</c>, <c>ACCOUNT_NUMBER</c>).
    /// </summary>
    public IList<string> SecretNames { get; private set; } = new List<string>();

    /// <summary>
    /// More secret-value patterns, added to the built-in ones: .NET regular expressions run on every recorded string
    /// (so they cost more than the built-in rules, which run only where their literal prefix occurs). What group 1
    /// matches is kept, the rest of the match becomes the marker; without groups, the whole match is replaced. Write
    /// them so that JavaScript reads them alike if the OpenClaw plugin uses them too.
    /// </summary>
    /// <remarks>An invalid pattern makes <see cref="AgentTelemetry.Configure"/> throw an <see cref="ArgumentException"/>
    /// that names it.</remarks>
    public IList<string> SecretValuePatterns { get; private set; } = new List<string>();

    /// <summary>
    /// Your own redaction, run on every recorded string after the rules: receives the text, returns what to record.
    /// An exception it throws is counted (<see cref="AgentTelemetry.InternalErrorCount"/>) and the value recorded as the
    /// marker, so a failing redactor never leaks what it was given.
    /// </summary>
    public Func<string, string>? CustomRedactor { get; set; }

    internal RedactionOptions Clone() => new()
    {
        Enabled = Enabled,
        SecretNames = new List<string>(SecretNames),
        SecretValuePatterns = new List<string>(SecretValuePatterns),
        CustomRedactor = CustomRedactor,
    };
}
