using System;
using Instrumentation.Generator.Diagnostics;

namespace Instrumentation.Generator.Model;

/// <summary>
/// What the generator keeps of one annotated method declaration: the model to emit (none when a problem blocks it)
/// and the diagnostics this declaration reports. Values only, so an unchanged method compares equal and stays cached.
/// </summary>
/// <param name="Model">The wrapper to write, or <see langword="null"/>.</param>
/// <param name="Diagnostics">The errors to report, in source order; empty for a method that can be traced.</param>
internal sealed record InspectedMethod(MethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics) : IEquatable<InspectedMethod>;
