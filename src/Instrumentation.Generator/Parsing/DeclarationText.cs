using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// The text of a traced method's declaration the generated half repeats: its namespace and containing types, modifiers,
/// type parameters and constraints, parameter modifiers, and the file name it is written to.
/// </summary>
internal static class DeclarationText
{
    internal static string ParameterModifiers(IMethodSymbol method, IParameterSymbol parameter)
    {
        var modifiers = new StringBuilder();
        if (method.IsExtensionMethod && parameter.Ordinal == 0)
        {
            modifiers.Append("this ");
        }

        // A params span is scoped implicitly, and 'scoped params' does not parse.
        if ((parameter.ScopedKind == ScopedKind.ScopedValue && !parameter.IsParams) || (parameter.ScopedKind == ScopedKind.ScopedRef && parameter.RefKind == RefKind.In))
        {
            modifiers.Append("scoped ");
        }

        if (parameter.IsParams)
        {
            modifiers.Append("params ");
        }

        if (parameter.RefKind == RefKind.In)
        {
            modifiers.Append("in ");
        }

        return modifiers.ToString();
    }

    internal static HierarchyInfo BuildHierarchy(IMethodSymbol method)
    {
        var types = ImmutableArray.CreateBuilder<TypeDeclarationInfo>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, new TypeDeclarationInfo(TypeKeyword(type), TypeDisplay.Identifier(type.Name) + TypeParameterList(type.TypeParameters)));
        }

        var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new HierarchyInfo(ns, types.ToImmutable().ToEquatableArray());
    }

    // Only the keyword: 'ref' and 'readonly' on one part of a struct apply to all of them, and the emitter writes
    // 'partial' before the keyword, where those modifiers could not go.
    private static string TypeKeyword(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct when type.IsRecord => "record struct",
        TypeKind.Struct => "struct",
        TypeKind.Interface => "interface",
        _ when type.IsRecord => "record",
        _ => "class",
    };

    /// <summary>
    /// The generated file's name: namespace, types, method and a hash of the signature. Two methods share one only when
    /// they are declared twice with one signature, which <see cref="CompilerReported.IsLaterDuplicate"/> keeps from
    /// the generator (a second file of one name would fail the whole generator, CS8785).
    /// </summary>
    internal static string BuildHintName(IMethodSymbol method)
    {
        var name = new StringBuilder();
        name.Append(method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "global");
        var types = new List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, type.Arity > 0 ? type.Name + "_" + type.Arity : type.Name);
        }

        // '+' between nested types, as in metadata names: class R.C's nested D (R.C+D) and namespace R.C's D (R.C.D)
        // are two types, and the compiler (CS0101) lets the user's code reach the generator with both.
        for (var i = 0; i < types.Count; i++)
        {
            name.Append(i == 0 ? '.' : '+').Append(types[i]);
        }

        name.Append('.').Append(method.Name);

        // Overloads share a name: a stable hash of the full signature tells them apart, the same in every build.
        name.Append('.').Append(Fnv1a(method.ToDisplayString(SignatureFormat)).ToString("x8"));
        return name.Append(".g.cs").ToString();
    }

    private static readonly SymbolDisplayFormat SignatureFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeContainingType
            | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeRef)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut
            | SymbolDisplayParameterOptions.IncludeExtensionThis);

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    internal static string DeclaredModifiers(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (syntax is null)
        {
            return string.Empty;
        }

        return string.Join(" ", syntax.Modifiers
            .Where(m => !m.IsKind(SyntaxKind.PartialKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword))
            .Select(m => m.Text));
    }

    internal static string TypeParameterList(IMethodSymbol method) => TypeParameterList(method.TypeParameters);

    private static string TypeParameterList(ImmutableArray<ITypeParameterSymbol> parameters) =>
        parameters.Length == 0 ? string.Empty : "<" + string.Join(", ", parameters.Select(p => TypeDisplay.Identifier(p.Name))) + ">";

    internal static IEnumerable<string> ConstraintClauses(IMethodSymbol method)
    {
        foreach (var parameter in method.TypeParameters)
        {
            var parts = new List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }
            else if (parameter.HasUnmanagedTypeConstraint)
            {
                parts.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                parts.Add("struct");
            }
            else if (parameter.HasNotNullConstraint)
            {
                parts.Add("notnull");
            }

            for (var i = 0; i < parameter.ConstraintTypes.Length; i++)
            {
                var type = parameter.ConstraintTypes[i].WithNullableAnnotation(parameter.ConstraintNullableAnnotations[i]);
                parts.Add(TypeDisplay.Qualified(type));
            }

            if (parameter.HasConstructorConstraint)
            {
                parts.Add("new()");
            }

            if (parameter.AllowsRefLikeType)
            {
                parts.Add("allows ref struct");
            }

            if (parts.Count > 0)
            {
                yield return "where " + TypeDisplay.Identifier(parameter.Name) + " : " + string.Join(", ", parts);
            }
        }
    }
}
