using System;
using System.Text.Json;
using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime;

/// <summary>
/// What the spans record. Set once at startup through <see cref="AgentTelemetry.Configure"/>; spans read a
/// consistent snapshot, so a change never shows half-applied inside one span.
/// </summary>
public sealed class AgentTelemetryOptions
{
    /// <summary>The default of <see cref="MaxValueBytes"/>: 128 KiB.</summary>
    public const int DefaultMaxValueBytes = 128 * 1024;

    /// <summary>
    /// The environment variable that sets <see cref="CaptureContent"/>: the OpenTelemetry GenAI convention's
    /// <c>OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT</c>. <c>false</c> (or <c>0</c>) turns content capture
    /// off, <c>true</c> (or <c>1</c>) on; unset leaves it on.
    /// </summary>
    public const string CaptureContentEnvironmentVariable = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT";

    /// <summary>
    /// Whether spans record content: inputs (<c>mlflow.spanInputs</c>), outputs (<c>mlflow.spanOutputs</c>) and chat
    /// messages. When <see langword="false"/>, spans still carry their type, name, timing, model, token usage and
    /// errors. Default: <see langword="true"/>, unless <see cref="CaptureContentEnvironmentVariable"/> says otherwise.
    /// </summary>
    public bool CaptureContent { get; set; } = true;

    /// <summary>
    /// What recorded content is redacted before it reaches a span: values under secret-named keys at any depth
    /// (<c>password</c>, <c>apiKey</c>, <c>connectionString</c>, <c>Authorization</c>, ...) and secret-shaped values inside
    /// any string (bearer tokens, provider keys, <c>Password=</c> in a connection string, private keys). On by default;
    /// docs/redaction.md lists the rules. Parameters marked <c>[Redact]</c> are never recorded, whatever this says.
    /// </summary>
    public RedactionOptions Redaction { get; private set; } = new();

    /// <summary>
    /// The largest recorded value, in bytes of UTF-8 JSON text: each parameter, and each output, is cut to this size
    /// and ends with a visible marker <c>…[truncated: N bytes]</c> naming its full size. Default: 128 KiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 64 bytes.</exception>
    public int MaxValueBytes
    {
        get => _maxValueBytes;
        set
        {
            if (value < 64)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxValueBytes), value, "MaxValueBytes must be at least 64 bytes.");
            }

            _maxValueBytes = value;
        }
    }

    private int _maxValueBytes = DefaultMaxValueBytes;

    /// <summary>
    /// The System.Text.Json options used to serialize parameters and results. <see langword="null"/> (the default)
    /// uses reflection-based serialization where the application allows it (it does not under Native AOT or with
    /// <c>JsonSerializerIsReflectionEnabledByDefault=false</c>). To record your own types in a trimmed or AOT
    /// application, pass options whose <see cref="JsonSerializerOptions.TypeInfoResolver"/> is your
    /// <c>JsonSerializerContext</c>. A value no resolver knows is recorded as a placeholder naming its type.
    /// </summary>
    public JsonSerializerOptions? JsonSerializerOptions { get; set; }

    internal AgentTelemetryOptions Clone()
    {
        var copy = (AgentTelemetryOptions)MemberwiseClone();
        copy.Redaction = Redaction.Clone();
        return copy;
    }

    internal static AgentTelemetryOptions FromEnvironment()
    {
        var options = new AgentTelemetryOptions();
        var capture = Environment.GetEnvironmentVariable(CaptureContentEnvironmentVariable);
        if (capture is not null && TryParseSwitch(capture, out var enabled))
        {
            options.CaptureContent = enabled;
        }

        return options;
    }

    private static bool TryParseSwitch(string text, out bool value)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "1" or "yes" or "on":
                value = true;
                return true;
            case "false" or "0" or "no" or "off":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
