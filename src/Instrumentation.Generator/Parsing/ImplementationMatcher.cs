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
    public static IMethodSymbol? Find(IMethodSymbol method, string name, Compilation compilation, out bool anyCandidate, out string? mismatch)
    {
        mismatch = null;
        var candidates = method.ContainingType.GetMembers(name)
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !SymbolEqualityComparer.Default.Equals(m, method))
            .ToImmutableArray();
        anyCandidate = candidates.Length > 0;

        foreach (var candidate in candidates)
        {
            var difference = Compare(method, candidate, compilation);
            if (difference is null)
            {
                return candidate;
            }

            mismatch ??= difference;
        }

        return null;
    }

    /// <summary>The first difference that stops <paramref name="body"/> from serving as the body of <paramref name="method"/>,
    /// or <see langword="null"/> when it can.</summary>
    public static string? Compare(IMethodSymbol method, IMethodSymbol body, Compilation compilation)
    {
        if (method.IsStatic != body.IsStatic)
        {
            return method.IsStatic ? "it is an instance method, the traced method is static" : "it is static, the traced method is not";
        }

        // A readonly member calling one that is not copies the struct first (CS8656), and the body would work on the copy.
        if (method.IsReadOnly && !method.IsStatic && !body.IsReadOnly)
        {
            return "it is not 'readonly', the traced method is: a readonly method can only call it on a copy of the struct";
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
            if (!Identical(expected.Type, actual.Type, compilation))
            {
                return $"parameter {i + 1} is '{actual.Type.ToDisplayString(TypeDisplay.Short)}', the traced method's '{expected.Name}' is '{expected.Type.ToDisplayString(TypeDisplay.Short)}'";
            }

            if (!CompatibleRefKinds(expected.RefKind, actual.RefKind))
            {
                return $"parameter {i + 1} is passed {Passing(actual.RefKind)}, the traced method's '{expected.Name}' is passed {Passing(expected.RefKind)}";
            }

            // The wrapper passes its argument on: a maybe-null argument into a parameter that does not accept null.
            if (NullabilityWarns(expected.Type, actual.Type, Variance.Out))
            {
                return $"parameter {i + 1} is '{actual.Type.ToDisplayString(Nullable)}', the traced method's '{expected.Name}' is '{expected.Type.ToDisplayString(Nullable)}'";
            }

            // A scoped value passed to a parameter that is not scoped cannot come back in a ref struct result.
            if (expected.ScopedKind == ScopedKind.ScopedValue && actual.ScopedKind != ScopedKind.ScopedValue && ReturnShapes.IsRefLike(method.ReturnType))
            {
                return $"parameter {i + 1} is not 'scoped' like the traced method's '{expected.Name}', so the ref struct the body returns could expose it";
            }
        }

        if (!Identical(method.ReturnType, constructed.ReturnType, compilation) || method.ReturnsByRef != body.ReturnsByRef)
        {
            return $"it returns '{constructed.ReturnType.ToDisplayString(TypeDisplay.Short)}', the traced method returns '{method.ReturnType.ToDisplayString(TypeDisplay.Short)}'";
        }

        // The wrapper returns what the body returns: a maybe-null result where the traced method promises none.
        if (!method.ReturnsVoid && NullabilityWarns(constructed.ReturnType, method.ReturnType, Variance.Out))
        {
            return $"it returns '{constructed.ReturnType.ToDisplayString(Nullable)}', the traced method returns '{method.ReturnType.ToDisplayString(Nullable)}'";
        }

        for (var i = 0; i < method.TypeParameters.Length; i++)
        {
            if (!SameConstraints(method.TypeParameters[i], body.TypeParameters[i], method))
            {
                return ConstraintDifference(method, body, i);
            }
        }

        return null;
    }

    // Types between which C# has an identity conversion: equal up to tuple element names, dynamic for object and
    // nullable annotations (compared apart, below).
    private static bool Identical(ITypeSymbol expected, ITypeSymbol actual, Compilation compilation) =>
        SymbolEqualityComparer.Default.Equals(expected, actual) || compilation.ClassifyCommonConversion(actual, expected).IsIdentity;

    private static readonly SymbolDisplayFormat Nullable = TypeDisplay.Short
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private enum Variance
    {
        /// <summary>The value flows from source to target (a covariant position).</summary>
        Out,

        /// <summary>The value flows from target to source (a contravariant position).</summary>
        In,

        /// <summary>Both ways: the annotations must agree (an invariant type argument).</summary>
        Both,
    }

    /// <summary>
    /// Whether converting <paramref name="source"/> to <paramref name="target"/>, types equal but for nullable annotations,
    /// earns a nullable warning (CS8603, CS8604, CS8619, ...). Oblivious annotations (nullable disabled) never do.
    /// </summary>
    private static bool NullabilityWarns(ITypeSymbol source, ITypeSymbol target, Variance variance)
    {
        if (source.IsReferenceType || source is ITypeParameterSymbol { HasValueTypeConstraint: false })
        {
            var from = source.NullableAnnotation;
            var to = target.NullableAnnotation;
            if (from != NullableAnnotation.None && to != NullableAnnotation.None && from != to)
            {
                var widening = from == NullableAnnotation.NotAnnotated;
                if (variance == Variance.Both || (variance == Variance.Out) != widening)
                {
                    return true;
                }
            }
        }

        switch (source, target)
        {
            case (IArrayTypeSymbol sourceArray, IArrayTypeSymbol targetArray):
                return NullabilityWarns(sourceArray.ElementType, targetArray.ElementType, variance);
            case (INamedTypeSymbol sourceNamed, INamedTypeSymbol targetNamed) when sourceNamed.TypeArguments.Length == targetNamed.TypeArguments.Length:
                var parameters = sourceNamed.OriginalDefinition.TypeParameters;
                for (var i = 0; i < sourceNamed.TypeArguments.Length; i++)
                {
                    var position = sourceNamed.IsTupleType ? variance : Combine(variance, i < parameters.Length ? parameters[i].Variance : VarianceKind.None);
                    if (NullabilityWarns(sourceNamed.TypeArguments[i], targetNamed.TypeArguments[i], position))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static Variance Combine(Variance outer, VarianceKind declared) => (outer, declared) switch
    {
        (Variance.Both, _) or (_, VarianceKind.None) => Variance.Both,
        (_, VarianceKind.Out) => outer,
        (Variance.Out, _) => Variance.In,
        _ => Variance.Out,
    };

    private static string Passing(RefKind kind) => kind switch
    {
        RefKind.None => "by value",
        RefKind.Ref => "by 'ref'",
        RefKind.Out => "as 'out'",
        RefKind.In => "by 'in'",
        _ => "by 'ref readonly'",
    };

    // Passing by value and by 'in' are interchangeable at a call site; by 'ref' or 'out' are not.
    private static bool CompatibleRefKinds(RefKind expected, RefKind actual) =>
        expected == actual || (expected is RefKind.None or RefKind.In && actual is RefKind.None or RefKind.In);

    /// <summary>
    /// Which declaration needs which constraint: the body method takes the traced method's constraints, written with
    /// the body's own type parameter names.
    /// </summary>
    private static string ConstraintDifference(IMethodSymbol method, IMethodSymbol body, int index)
    {
        var wanted = ConstraintList(method.TypeParameters[index]);
        for (var i = 0; i < method.TypeParameters.Length; i++)
        {
            wanted = Regex.Replace(wanted, @"(?<![\w.])" + Regex.Escape(method.TypeParameters[i].Name) + @"(?!\w)", "!!" + i);
        }

        for (var i = 0; i < body.TypeParameters.Length; i++)
        {
            wanted = wanted.Replace("!!" + i, body.TypeParameters[i].Name);
        }

        var bodyParameter = body.TypeParameters[index];
        var has = ConstraintList(bodyParameter);
        var declared = has.Length == 0 ? $"'{body.Name}' declares no constraint on '{bodyParameter.Name}'" : $"'{body.Name}' declares 'where {bodyParameter.Name} : {has}'";
        var traced = wanted.Length == 0
            ? $"'{method.Name}' declares none on '{method.TypeParameters[index].Name}'"
            : $"'{method.Name}' declares 'where {method.TypeParameters[index].Name} : {ConstraintList(method.TypeParameters[index])}'";
        var remedy = wanted.Length == 0 ? $"remove the constraint from '{body.Name}'" : $"write 'where {bodyParameter.Name} : {wanted}' on '{body.Name}'";
        return $"{declared}, {traced}: {remedy}";
    }

    /// <summary>The constraints of a type parameter as C# writes them after the colon (<c>class?, IComparable&lt;T&gt;, new()</c>), or empty.</summary>
    private static string ConstraintList(ITypeParameterSymbol parameter)
    {
        var parts = new System.Collections.Generic.List<string>();
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
            parts.Add(parameter.ConstraintTypes[i].WithNullableAnnotation(parameter.ConstraintNullableAnnotations[i]).ToDisplayString(Nullable));
        }

        if (parameter.HasConstructorConstraint)
        {
            parts.Add("new()");
        }

        if (parameter.AllowsRefLikeType)
        {
            parts.Add("allows ref struct");
        }

        return string.Join(", ", parts);
    }

    private static bool SameConstraints(ITypeParameterSymbol expected, ITypeParameterSymbol actual, IMethodSymbol method)
    {
        if (expected.HasReferenceTypeConstraint != actual.HasReferenceTypeConstraint
            || expected.HasValueTypeConstraint != actual.HasValueTypeConstraint
            || expected.HasUnmanagedTypeConstraint != actual.HasUnmanagedTypeConstraint
            || expected.HasNotNullConstraint != actual.HasNotNullConstraint
            || expected.HasConstructorConstraint != actual.HasConstructorConstraint
            || expected.ConstraintTypes.Length != actual.ConstraintTypes.Length
            || expected.AllowsRefLikeType != actual.AllowsRefLikeType)
        {
            return false;
        }

        // 'class?' on the traced method, 'class' on the body: the wrapper's type argument may be nullable, the body's not.
        if (expected.HasReferenceTypeConstraint
            && expected.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated
            && actual.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.NotAnnotated)
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
