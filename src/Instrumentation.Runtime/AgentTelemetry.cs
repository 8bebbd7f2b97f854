using System;
using System.Diagnostics;
using System.Reflection;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Runtime;

/// <summary>
/// The entry point of the runtime: the <see cref="ActivitySource"/> every span comes from, and the capture options.
/// </summary>
/// <remarks>
/// To receive the spans, add the source to an OpenTelemetry tracer provider:
/// <c>builder.AddSource(AgentTelemetry.SourceName)</c> (<c>AddMlflowExporter()</c> does this for you), or attach an
/// <see cref="ActivityListener"/> whose <see cref="ActivityListener.ShouldListenTo"/> accepts <see cref="Source"/>.
/// When nothing listens, generated wrappers call the body directly and record nothing.
/// </remarks>
public static class AgentTelemetry
{
    /// <summary>
    /// The name of the <see cref="ActivitySource"/>: <c>Instrumentation.Agents</c>. Its version is the runtime
    /// assembly's informational version (for example <c>0.1.0</c>).
    /// </summary>
    public const string SourceName = "Instrumentation.Agents";

    private static volatile CaptureSettings s_settings = CaptureSettings.From(AgentTelemetryOptions.FromEnvironment());

    /// <summary>The source of every span this library creates, generated wrappers and the OpenClaw bridge alike.</summary>
    public static ActivitySource Source { get; } = new(SourceName, ReadVersion());

    /// <summary>
    /// Whether anything listens to <see cref="Source"/>. Generated wrappers check this first and, when it is
    /// <see langword="false"/>, call the body directly: no span, no allocation.
    /// </summary>
    public static bool IsEnabled => Source.HasListeners();

    /// <summary>
    /// How many times the instrumentation caught a failure of its own (a serializer or observer that threw) instead
    /// of letting it reach the traced method. Each is also reported on the <c>Instrumentation-Agents</c> EventSource.
    /// </summary>
    public static long InternalErrorCount => FailOpen.ErrorCount;

    /// <summary>
    /// Counts and reports (on the <c>Instrumentation-Agents</c> EventSource) a failure inside instrumentation code, which
    /// then carries on without it. Generated SDK adapters call it; so may your own extensions. Never throws.
    /// </summary>
    /// <param name="operation">What was being recorded, for the report.</param>
    /// <param name="exception">What went wrong.</param>
    public static void ReportInternalError(string operation, Exception exception) => FailOpen.Report(operation, exception);

    /// <summary>A copy of the options in effect. Changing the copy changes nothing; use <see cref="Configure"/>.</summary>
    public static AgentTelemetryOptions Options => s_settings.Options.Clone();

    internal static CaptureSettings Settings => s_settings;

    /// <summary>
    /// Changes the capture options for every span started afterwards.
    /// </summary>
    /// <param name="configure">Receives a copy of the current options to change.</param>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    /// <example><c>AgentTelemetry.Configure(o =&gt; o.CaptureContent = false);</c></example>
    public static void Configure(Action<AgentTelemetryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = s_settings.Options.Clone();
        configure(options);
        s_settings = CaptureSettings.From(options);
    }

    private static string ReadVersion()
    {
        var assembly = typeof(AgentTelemetry).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is null)
        {
            return assembly.GetName().Version?.ToString() ?? "0.0.0";
        }

        // Drop the "+<commit>" build metadata the SDK appends: the version names a release, not a commit.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
