using System;

namespace Instrumentation;

/// <summary>
/// Records the parameter in the span's inputs under its name, with the value replaced by a redaction marker,
/// so a reader of the trace sees that a value was passed without seeing it. Parameters whose names look like
/// secrets (<c>apiKey</c>, <c>password</c>, <c>token</c>, <c>secret</c>, <c>authorization</c>) are redacted
/// without this attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class RedactAttribute : Attribute
{
}
