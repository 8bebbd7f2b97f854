using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Instrumentation.Generator.Parsing;

/// <summary>How types and names are written into generated code: fully qualified with <c>global::</c>, with nullable
/// annotations, so the implementing declaration matches the user's exactly whatever their usings.</summary>
internal static class TypeDisplay
{
    public static readonly SymbolDisplayFormat FullyQualified = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>A readable form for diagnostics: <c>Task&lt;string&gt;</c>.</summary>
    public static readonly SymbolDisplayFormat Short = SymbolDisplayFormat.MinimallyQualifiedFormat;

    public static string Qualified(ITypeSymbol type) => type.ToDisplayString(FullyQualified);

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
