using System;
using System.Collections.Immutable;
using System.Linq;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Diagnostics;

/// <summary>One property of a diagnostic (read by the code fixes), as a value.</summary>
internal sealed record DiagnosticProperty(string Key, string? Value) : IEquatable<DiagnosticProperty>;

/// <summary>
/// A diagnostic the generator reports, held as values (descriptor, message arguments, <see cref="LocationInfo"/>s) so
/// the pipeline model that carries it compares by value and holds nothing of the compilation.
/// </summary>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor,
    LocationInfo? Location,
    EquatableArray<LocationInfo> AdditionalLocations,
    EquatableArray<DiagnosticProperty> Properties,
    EquatableArray<string> Arguments) : IEquatable<DiagnosticInfo>
{
    /// <summary>The diagnostic to report.</summary>
    public Diagnostic ToDiagnostic() => Diagnostic.Create(
        Descriptor,
        Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None,
        AdditionalLocations.Select(l => l.ToLocation()),
        Properties.Count == 0 ? null : Properties.ToImmutableDictionary(p => p.Key, p => p.Value),
        Arguments.Cast<object?>().ToArray());
}
