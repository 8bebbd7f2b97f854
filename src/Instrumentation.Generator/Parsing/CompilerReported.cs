using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// Declarations the compiler already rejects with an error on the user's line, where the generator says nothing and
/// writes nothing: a wrapper would only repeat the error inside the generated file, and a diagnostic of ours would
/// guess at what the user meant.
/// </summary>
internal static class CompilerReported
{
    /// <summary>
    /// Whether the signature names a type the compiler cannot find (CS0246, a misspelt type): in the return type, a
    /// parameter, a constraint, anywhere inside a generic, array, pointer or tuple type.
    /// </summary>
    public static bool HasErrorType(IMethodSymbol method) =>
        HasErrorType(method.ReturnType)
        || method.Parameters.Any(p => HasErrorType(p.Type))
        || method.TypeParameters.Any(t => t.ConstraintTypes.Any(HasErrorType));

    public static bool HasErrorType(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => true,
        IArrayTypeSymbol array => HasErrorType(array.ElementType),
        IPointerTypeSymbol pointer => HasErrorType(pointer.PointedAtType),
        IFunctionPointerTypeSymbol function => HasErrorType(function.Signature),
        INamedTypeSymbol named => named.TypeArguments.Any(HasErrorType) || (named.ContainingType is { } outer && HasErrorType(outer)),
        _ => false,
    };

    /// <summary>
    /// Whether <paramref name="method"/> is a second defining declaration of a partial method already declared with the
    /// same signature earlier in the type (CS0756, a copy and paste): only the first gets a wrapper, so no two
    /// generated files share a name and every other method keeps its own.
    /// </summary>
    public static bool IsLaterDuplicate(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (!IsDefiningDeclaration(method, cancellationToken))
        {
            return false;
        }

        // The same generated file name is the same signature, as far as the wrapper goes.
        var fileName = DeclarationText.BuildHintName(method);
        return method.ContainingType.GetMembers(method.Name)
            .OfType<IMethodSymbol>()
            .Any(other => !SymbolEqualityComparer.Default.Equals(other, method)
                && IsDefiningDeclaration(other, cancellationToken)
                && DeclarationText.BuildHintName(other) == fileName
                && Before(other, method));
    }

    private static bool IsDefiningDeclaration(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.Length == 1
        && method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is MethodDeclarationSyntax syntax
        && syntax.Modifiers.Any(SyntaxKind.PartialKeyword)
        && syntax.Body is null && syntax.ExpressionBody is null;

    /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/> in source order: by path, then position.</summary>
    private static bool Before(IMethodSymbol a, IMethodSymbol b)
    {
        var (first, second) = (a.Locations.FirstOrDefault(), b.Locations.FirstOrDefault());
        var byPath = string.CompareOrdinal(first?.SourceTree?.FilePath, second?.SourceTree?.FilePath);
        return byPath != 0 ? byPath < 0 : (first?.SourceSpan.Start ?? 0) < (second?.SourceSpan.Start ?? 0);
    }
}
