using System.Collections.Immutable;
using System.Linq;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// What inspecting one annotated method found: the model to emit (when nothing stops it) and every problem, as
/// diagnostics. The generator keeps only the model; the analyzer reports the diagnostics. One rule set serves both,
/// so the generator never emits for a method the analyzer rejects.
/// </summary>
internal sealed class InspectionResult
{
    public InspectionResult(MethodModel? model, ImmutableArray<Diagnostic> diagnostics)
    {
        Diagnostics = diagnostics;
        Model = diagnostics.Any(Blocks) ? null : model;
    }

    /// <summary>The model, or <see langword="null"/> when a warning or an error stops generation.</summary>
    public MethodModel? Model { get; }

    /// <summary>Every diagnostic, in source order, each once.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>
    /// Whether the diagnostic stops generation: any warning or error, by its default severity, so that configuring a
    /// severity in .editorconfig changes what the user sees, never what is generated.
    /// </summary>
    public static bool Blocks(Diagnostic diagnostic) => diagnostic.DefaultSeverity >= DiagnosticSeverity.Warning;
}
