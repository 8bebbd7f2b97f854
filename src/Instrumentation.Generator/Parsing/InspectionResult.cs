using System.Collections.Immutable;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Model;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// What inspecting one annotated method found: the model to emit (when nothing stops it) and the problems its reporter
/// reports. One rule set serves the generator and the analyzer, so the generator never emits for a method with a
/// problem that blocks it, whoever reports that problem (<see cref="DiagnosticDescriptors.ReportedByGenerator"/>).
/// </summary>
internal sealed class InspectionResult
{
    public InspectionResult(MethodModel? model, FindingSet findings)
    {
        Findings = findings.ToSortedArray();
        Model = findings.Blocked ? null : model;
    }

    /// <summary>The model, or <see langword="null"/> when a problem stops generation (<see cref="FindingSet.Blocks"/>).</summary>
    public MethodModel? Model { get; }

    /// <summary>The problems the inspection's reporter reports, in source order, each once.</summary>
    public ImmutableArray<Finding> Findings { get; }
}
