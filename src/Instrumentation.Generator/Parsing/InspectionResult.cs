using System.Collections.Immutable;
using System.Linq;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Model;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// What inspecting one annotated method found: the model to emit (when nothing stops it) and every problem. One rule
/// set serves the generator and the analyzer, so the generator never emits for a method with a problem that blocks it.
/// Who reports each problem is <see cref="DiagnosticDescriptors.ReportedByGenerator"/>.
/// </summary>
internal sealed class InspectionResult
{
    public InspectionResult(MethodModel? model, ImmutableArray<Finding> findings)
    {
        Findings = findings;
        Model = findings.Any(Blocks) ? null : model;
    }

    /// <summary>The model, or <see langword="null"/> when a problem stops generation.</summary>
    public MethodModel? Model { get; }

    /// <summary>Every problem, in source order, each once.</summary>
    public ImmutableArray<Finding> Findings { get; }

    /// <summary>
    /// Whether the problem stops generation: any warning or error except the notes on what a traced method's span
    /// records (the Recording category, whatever its severity). Decided by the descriptor, never by the severity the
    /// user configured, so that .editorconfig changes what the user sees, never what is generated.
    /// </summary>
    public static bool Blocks(Finding finding) =>
        finding.Descriptor.DefaultSeverity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning
        && finding.Descriptor.Category != DiagnosticDescriptors.RecordingCategory;
}
