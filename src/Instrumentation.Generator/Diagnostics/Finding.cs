using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Diagnostics;

/// <summary>
/// A problem the inspector found in one method: the descriptor, where, and the message arguments. The analyzer turns
/// it into a <see cref="Diagnostic"/> on the source tree; the generator into a <see cref="DiagnosticInfo"/> it can cache.
/// </summary>
internal sealed class Finding
{
    private static readonly ImmutableDictionary<string, string?> NoProperties = ImmutableDictionary<string, string?>.Empty;

    private Finding(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location>? additionalLocations,
        ImmutableDictionary<string, string?>? properties, string?[] arguments)
    {
        Descriptor = descriptor;
        Location = location;
        AdditionalLocations = additionalLocations?.ToImmutableArray() ?? ImmutableArray<Location>.Empty;
        Properties = properties ?? NoProperties;
        Arguments = arguments;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public Location Location { get; }

    public ImmutableArray<Location> AdditionalLocations { get; }

    public ImmutableDictionary<string, string?> Properties { get; }

    public IReadOnlyList<string?> Arguments { get; }

    public static Finding Create(DiagnosticDescriptor descriptor, Location location, params string?[] arguments) =>
        new(descriptor, location, null, null, arguments);

    public static Finding Create(DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?> properties, params string?[] arguments) =>
        new(descriptor, location, null, properties, arguments);

    public static Finding Create(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location> additionalLocations, params string?[] arguments) =>
        new(descriptor, location, additionalLocations, null, arguments);

    public static Finding Create(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location> additionalLocations,
        ImmutableDictionary<string, string?> properties, params string?[] arguments) =>
        new(descriptor, location, additionalLocations, properties, arguments);

    /// <summary>The diagnostic, located in the source tree (what an analyzer reports).</summary>
    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location, AdditionalLocations, Properties, Arguments.Cast<object?>().ToArray());

    /// <summary>The diagnostic as values, for the generator's pipeline.</summary>
    public DiagnosticInfo ToInfo() => new(
        Descriptor,
        LocationInfo.From(Location),
        AdditionalLocations.Select(LocationInfo.From).Where(l => l is not null).Select(l => l!).ToEquatableArray(),
        Properties.OrderBy(p => p.Key, System.StringComparer.Ordinal).Select(p => new DiagnosticProperty(p.Key, p.Value)).ToEquatableArray(),
        Arguments.Select(a => a ?? string.Empty).ToEquatableArray());
}
