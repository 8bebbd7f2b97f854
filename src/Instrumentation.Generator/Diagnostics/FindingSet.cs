using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Diagnostics;

/// <summary>Who an inspection reports to, and so which of its findings it keeps.</summary>
internal enum Reporter
{
    /// <summary>Nobody: the inspection only decides whether the method gets a wrapper (a visit that does not report).</summary>
    None,

    /// <summary>The analyzer: the warnings and notes.</summary>
    Analyzer,

    /// <summary>The generator: the errors (<see cref="DiagnosticDescriptors.ReportedByGenerator"/>).</summary>
    Generator,
}

/// <summary>
/// The problems one inspection finds. Only those its <see cref="Reporter"/> reports are built; of the others only
/// their number and whether one of them stops generation are kept, so no finding is built to be thrown away.
/// </summary>
internal sealed class FindingSet
{
    private readonly Reporter _reporter;
    private readonly List<Finding> _kept = new();

    public FindingSet(Reporter reporter)
    {
        _reporter = reporter;
    }

    /// <summary>How many problems were found, kept or not.</summary>
    public int Count { get; private set; }

    /// <summary>Whether a problem found stops generation (<see cref="Blocks"/>).</summary>
    public bool Blocked { get; private set; }

    /// <summary>
    /// Whether the problem stops generation: any warning or error except the notes on what a traced method's span
    /// records (the Recording category, whatever its severity). Decided by the descriptor, never by the severity the
    /// user configured, so that .editorconfig changes what the user sees, never what is generated.
    /// </summary>
    public static bool Blocks(DiagnosticDescriptor descriptor) =>
        descriptor.DefaultSeverity >= DiagnosticSeverity.Warning && descriptor.Category != DiagnosticDescriptors.RecordingCategory;

    public void Add(DiagnosticDescriptor descriptor, Location location, params string?[] arguments)
    {
        if (Note(descriptor))
        {
            _kept.Add(Finding.Create(descriptor, location, arguments));
        }
    }

    public void Add(DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?> properties, params string?[] arguments)
    {
        if (Note(descriptor))
        {
            _kept.Add(Finding.Create(descriptor, location, properties, arguments));
        }
    }

    public void Add(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location> additionalLocations, params string?[] arguments)
    {
        if (Note(descriptor))
        {
            _kept.Add(Finding.Create(descriptor, location, additionalLocations, arguments));
        }
    }

    public void Add(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location> additionalLocations,
        ImmutableDictionary<string, string?> properties, params string?[] arguments)
    {
        if (Note(descriptor))
        {
            _kept.Add(Finding.Create(descriptor, location, additionalLocations, properties, arguments));
        }
    }

    /// <summary>The kept findings in source order (file, position, ID), each once.</summary>
    public ImmutableArray<Finding> ToSortedArray() => _kept
        .OrderBy(f => f.Location.SourceTree?.FilePath, StringComparer.Ordinal)
        .ThenBy(f => f.Location.SourceSpan.Start)
        .ThenBy(f => f.Descriptor.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    /// <summary>Counts the problem; returns whether this inspection's reporter reports it.</summary>
    private bool Note(DiagnosticDescriptor descriptor)
    {
        Count++;
        Blocked |= Blocks(descriptor);
        return _reporter switch
        {
            Reporter.Generator => DiagnosticDescriptors.ReportedByGenerator(descriptor),
            Reporter.Analyzer => !DiagnosticDescriptors.ReportedByGenerator(descriptor),
            _ => false,
        };
    }
}
