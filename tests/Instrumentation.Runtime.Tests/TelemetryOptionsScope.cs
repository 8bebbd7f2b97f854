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
        o.RedactSecretLikeParameters = _previous.RedactSecretLikeParameters;
        o.JsonSerializerOptions = _previous.JsonSerializerOptions;
    });
}
