using System;
using System.IO;

namespace Instrumentation.Mlflow;

/// <summary>
/// How <c>AddTraceTreeConsoleExporter()</c> prints traces, and how <see cref="TraceTreeFormatter"/> formats them.
/// </summary>
public sealed class TraceTreeOptions
{
    /// <summary>The default of <see cref="MaxValueChars"/>: 120.</summary>
    public const int DefaultMaxValueChars = 120;

    /// <summary>The default of <see cref="MaxBufferedSpans"/>: 10 000.</summary>
    public const int DefaultMaxBufferedSpans = 10_000;

    private int _maxValueChars = DefaultMaxValueChars;
    private int _maxBufferedSpans = DefaultMaxBufferedSpans;
    private bool? _useColor;

    /// <summary>Where traces are written. Default: <see cref="Console.Out"/>. Each trace is written with one
    /// <see cref="TextWriter.Write(string)"/> call, so traces never interleave.</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <summary>
    /// The widest <c>in:</c>/<c>out:</c> value, and status message, in characters: longer ones are cut and end with
    /// <c>…</c>. Default: 120.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 8.</exception>
    public int MaxValueChars
    {
        get => _maxValueChars;
        set => _maxValueChars = value >= 8 ? value : throw new ArgumentOutOfRangeException(nameof(MaxValueChars), value, "MaxValueChars must be at least 8.");
    }

    /// <summary>Whether each span's inputs and outputs (<c>mlflow.spanInputs</c>, <c>mlflow.spanOutputs</c>) are printed
    /// under it, on one line each. Default: <see langword="true"/>.</summary>
    public bool ShowInputsAndOutputs { get; set; } = true;

    /// <summary>
    /// Whether ANSI colors are used. Default: only when <see cref="Output"/> is the console's standard output, the output
    /// is not redirected, and neither <c>NO_COLOR</c> is set nor <c>TERM</c> is <c>dumb</c>; so never in tests, CI logs
    /// or files.
    /// </summary>
    public bool UseColor
    {
        get => _useColor ?? IsInteractiveConsole(Output);
        set => _useColor = value;
    }

    /// <summary>
    /// The most spans held while waiting for their trace's root to end. When exceeded, the oldest trace is printed as
    /// incomplete, so a root that never ends cannot grow memory without bound. Default: 10 000.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxBufferedSpans
    {
        get => _maxBufferedSpans;
        set => _maxBufferedSpans = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBufferedSpans), value, "MaxBufferedSpans must be at least 1.");
    }

    internal TraceTreeOptions Clone() => (TraceTreeOptions)MemberwiseClone();

    private static bool IsInteractiveConsole(TextWriter output)
    {
        try
        {
            return ReferenceEquals(output, Console.Out)
                && !Console.IsOutputRedirected
                && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return false;
        }
    }
}
