using System;

namespace Instrumentation.Generator.Model;

/// <summary>How a parameter's value goes into the span's inputs.</summary>
internal enum CaptureMode
{
    /// <summary>Serialized under its name.</summary>
    Record,

    /// <summary>Left out: a <c>CancellationToken</c>, or marked <c>[NotTraced]</c>.</summary>
    Skip,

    /// <summary>Marked <c>[Redact]</c>: its name with a redaction marker.</summary>
    Redact,

    /// <summary>Its name looks like a secret: redacted unless the runtime option turns that off.</summary>
    SecretLike,

    /// <summary>A value that cannot or should not be serialized (a <c>ref struct</c>): its type name.</summary>
    Placeholder,
}

/// <summary>One parameter of an instrumented method, as text ready to emit.</summary>
/// <param name="Name">The identifier, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="JsonName">The name recorded in the inputs object (unescaped).</param>
/// <param name="Type">The fully qualified type, with nullable annotations.</param>
/// <param name="Modifiers">Modifiers the declaration repeats, each followed by a space (<c>"params "</c>, <c>"in "</c>, <c>"this "</c>).</param>
/// <param name="Capture">How the value is recorded.</param>
/// <param name="DisplayType">The readable type name recorded for <see cref="CaptureMode.Placeholder"/>.</param>
internal sealed record ParameterModel(
    string Name,
    string JsonName,
    string Type,
    string Modifiers,
    CaptureMode Capture,
    string DisplayType) : IEquatable<ParameterModel>;
