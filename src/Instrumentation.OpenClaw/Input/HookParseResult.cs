namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// What parsing one line gave: an event (<see cref="Event"/> set), a blank line (<see cref="IsBlank"/>), or the reason
/// the line is malformed (<see cref="Error"/> set). Exactly one of the three holds; <c>default</c> is a blank line.
/// </summary>
public readonly struct HookParseResult
{
    private HookParseResult(HookEvent? hookEvent, string? error, SourcePosition position)
    {
        Event = hookEvent;
        Error = error;
        Position = position;
    }

    /// <summary>The event, when the line is a well-formed hook line.</summary>
    public HookEvent? Event { get; }

    /// <summary>Why the line was skipped, when it is malformed: one line of text such as <c>missing "event" (an
    /// object)</c> or <c>invalid JSON: ...</c>, without the position.</summary>
    public string? Error { get; }

    /// <summary>Where the line is (file label and 1-based line number).</summary>
    public SourcePosition Position { get; }

    /// <summary>Whether the line was empty or white space (skipped silently).</summary>
    public bool IsBlank => Event is null && Error is null;

    internal static HookParseResult Ok(HookEvent hookEvent) => new(hookEvent, null, hookEvent.Position);

    internal static HookParseResult Malformed(SourcePosition position, string error) => new(null, error, position);

    internal static HookParseResult Blank(SourcePosition position) => new(null, null, position);
}
