using System;
using Instrumentation.Runtime;

namespace Instrumentation.Runtime.Tests;

/// <summary>Changes the process-wide capture options for one test and restores them after.</summary>
internal sealed class TelemetryOptionsScope : IDisposable
{
    private readonly AgentTelemetryOptions _previous = AgentTelemetry.Options;

    public TelemetryOptionsScope(Action<AgentTelemetryOptions> configure) => AgentTelemetry.Configure(configure);

    public void Dispose() => AgentTelemetry.Configure(o =>
    {
        o.CaptureContent = _previous.CaptureContent;
        o.MaxValueBytes = _previous.MaxValueBytes;
        o.Redaction.Enabled = _previous.Redaction.Enabled;
        o.Redaction.SecretNames.Clear();
        o.Redaction.SecretValuePatterns.Clear();
        foreach (var name in _previous.Redaction.SecretNames)
        {
            o.Redaction.SecretNames.Add(name);
        }

        foreach (var pattern in _previous.Redaction.SecretValuePatterns)
        {
            o.Redaction.SecretValuePatterns.Add(pattern);
        }

        o.Redaction.CustomRedactor = _previous.Redaction.CustomRedactor;
        o.JsonSerializerOptions = _previous.JsonSerializerOptions;
    });
}
