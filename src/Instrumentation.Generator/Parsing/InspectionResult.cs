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
        Model = diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error || d.Id == DiagnosticIds.NotPartial) ? null : model;
    }

    /// <summary>The model, or <see langword="null"/> when an error (or a non-partial declaration) stops generation.</summary>
    public MethodModel? Model { get; }

    public ImmutableArray<Diagnostic> Diagnostics { get; }
}

internal static class DiagnosticIds
{
    public const string NotPartial = "AIT001";
}
