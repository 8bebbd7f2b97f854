using System.ComponentModel;

namespace Instrumentation.Runtime.CompilerServices;

/// <summary>How a streamed result ended, recorded as <c>instrumentation.stream.outcome</c>.</summary>
/// <remarks>Exists for the code the Instrumentation generator emits into your assembly; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum StreamOutcome
{
    /// <summary>The consumer stopped before the end (a <c>break</c>, or disposing the enumerator): <c>abandoned</c>.
    /// Not an error: the span's status stays OK.</summary>
    Abandoned,

    /// <summary>The stream reached its end: <c>completed</c>.</summary>
    Completed,

    /// <summary>The stream threw (cancellation included): <c>failed</c>; the span carries the error.</summary>
    Failed,
}
