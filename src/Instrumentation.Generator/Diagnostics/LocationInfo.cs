using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.Generator.Diagnostics;

/// <summary>
/// Where a diagnostic points, as values: the file path, the span and its line positions. A <see cref="Location"/> holds
/// its syntax tree, so keeping one in a pipeline model would pin the compilation and defeat caching; this record does not.
/// </summary>
/// <param name="FilePath">The path of the source file, as the compilation knows it.</param>
/// <param name="Span">The character span in the file.</param>
/// <param name="LineSpan">The same span as zero-based line and column positions.</param>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan) : IEquatable<LocationInfo>
{
    /// <summary>The values of a source location; <see langword="null"/> for a location outside source (metadata, none).</summary>
    public static LocationInfo? From(Location location) =>
        location.IsInSource ? new LocationInfo(location.SourceTree!.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;

    /// <summary>
    /// A location in the file by path. The compiler prints it as <c>path(line,col)</c> and the IDE maps it to the open
    /// document by path, as it does for any generator's diagnostics.
    /// </summary>
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
}
