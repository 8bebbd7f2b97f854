using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// Finds the body method the wrapper calls (<c>&lt;Name&gt;Core</c> or <c>Implementation</c>) and explains the first
/// difference when no candidate matches: parameters, return type, static-ness, type parameters and constraints.
/// </summary>
internal static class ImplementationMatcher
{
    public static IMethodSymbol? Find(IMethodSymbol method, string name, out bool anyCandidate, out string? mismatch)
    {
        mismatch = null;
        var candidates = method.ContainingType.GetMembers(name)
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !SymbolEqualityComparer.Default.Equals(m, method))
            .ToImmutableArray();
        anyCandidate = candidates.Length > 0;

        foreach (var candidate in candidates)
        {
            var difference = Compare(method, candidate);
            if (difference is null)
            {
                return candidate;
            }

            mismatch ??= difference;
        }

        return null;
    }

    private static string? Compare(IMethodSymbol method, IMethodSymbol body)
    {
        if (method.IsStatic != body.IsStatic)
        {
            return method.IsStatic ? "it is an instance method, the traced method is static" : "it is static, the traced method is not";
        }

        if (method.TypeParameters.Length != body.TypeParameters.Length)
        {
            return $"it has {body.TypeParameters.Length} type parameter(s), the traced method has {method.TypeParameters.Length}";
        }

        if (method.Parameters.Length != body.Parameters.Length)
        {
            return $"it takes {body.Parameters.Length} parameter(s), the traced method takes {method.Parameters.Length}";
        }

        // Compare with the body's type parameters replaced by the traced method's, position by position.
        var constructed = body.TypeParameters.Length == 0
            ? body
            : body.Construct(method.TypeParameters.Cast<ITypeSymbol>().ToArray());

        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var expected = method.Parameters[i];
            var actual = constructed.Parameters[i];
            if (!SymbolEqualityComparer.Default.Equals(expected.Type, actual.Type))
            {
                return $"parameter {i + 1} is '{actual.Type.ToDisplayString(TypeDisplay.Short)}', the traced method's '{expected.Name}' is '{expected.Type.ToDisplayString(TypeDisplay.Short)}'";
            }

            if (!CompatibleRefKinds(expected.RefKind, actual.RefKind))
            {
                return $"parameter {i + 1} is passed '{actual.RefKind.ToString().ToLowerInvariant()}', the traced method's '{expected.Name}' is passed '{expected.RefKind.ToString().ToLowerInvariant()}'";
            }
        }

        if (!SymbolEqualityComparer.Default.Equals(method.ReturnType, constructed.ReturnType) || method.ReturnsByRef != body.ReturnsByRef)
        {
            return $"it returns '{constructed.ReturnType.ToDisplayString(TypeDisplay.Short)}', the traced method returns '{method.ReturnType.ToDisplayString(TypeDisplay.Short)}'";
        }

        for (var i = 0; i < method.TypeParameters.Length; i++)
        {
            if (!SameConstraints(method.TypeParameters[i], body.TypeParameters[i], method))
            {
                return $"the constraints on type parameter '{body.TypeParameters[i].Name}' differ from those on '{method.TypeParameters[i].Name}'";
            }
        }

        return null;
    }

    // Passing by value and by 'in' are interchangeable at a call site; by 'ref' or 'out' are not.
    private static bool CompatibleRefKinds(RefKind expected, RefKind actual) =>
        expected == actual || (expected is RefKind.None or RefKind.In && actual is RefKind.None or RefKind.In);

    private static bool SameConstraints(ITypeParameterSymbol expected, ITypeParameterSymbol actual, IMethodSymbol method)
    {
        if (expected.HasReferenceTypeConstraint != actual.HasReferenceTypeConstraint
            || expected.HasValueTypeConstraint != actual.HasValueTypeConstraint
            || expected.HasUnmanagedTypeConstraint != actual.HasUnmanagedTypeConstraint
            || expected.HasNotNullConstraint != actual.HasNotNullConstraint
            || expected.HasConstructorConstraint != actual.HasConstructorConstraint
            || expected.ConstraintTypes.Length != actual.ConstraintTypes.Length)
        {
            return false;
        }

        // Constraint types may mention the body's own type parameters: compare them by position.
        var expectedTypes = expected.ConstraintTypes.Select(t => Normalize(t, method.TypeParameters)).OrderBy(s => s);
        var actualTypes = actual.ConstraintTypes.Select(t => Normalize(t, ((IMethodSymbol)actual.DeclaringMethod!).TypeParameters)).OrderBy(s => s);
        return expectedTypes.SequenceEqual(actualTypes);
    }

    private static string Normalize(ITypeSymbol type, ImmutableArray<ITypeParameterSymbol> parameters)
    {
        // Replace each type parameter name, as a whole word, by its position: IComparable<T> and IComparable<U> compare equal.
        var text = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        for (var i = 0; i < parameters.Length; i++)
        {
            text = Regex.Replace(text, @"(?<![\w.])" + Regex.Escape(parameters[i].Name) + @"(?!\w)", "!!" + i);
        }

        return text;
    }
}
