using System.Linq;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>Classifies a method's return type into the shapes the emitter knows how to wrap.</summary>
internal static class ReturnShapes
{
    /// <summary>Returns the shape and the awaited result type, or <see langword="null"/> with the reason it cannot be wrapped.</summary>
    public static ReturnShape? Classify(IMethodSymbol method, KnownTypes known, out ITypeSymbol resultType, out string? problem)
    {
        var type = method.ReturnType;
        resultType = type;
        problem = null;

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problem = "it returns by reference, and a wrapper cannot hold a reference across recording the output: return the value instead";
            return null;
        }

        if (method.ReturnsVoid)
        {
            return ReturnShape.Void;
        }

        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            problem = "it returns a pointer, which cannot be recorded or carried through the wrapper's generic code: return an 'nint' or a struct instead";
            return null;
        }

        if (type.SpecialType is SpecialType.System_ArgIterator or SpecialType.System_TypedReference or SpecialType.System_RuntimeArgumentHandle)
        {
            problem = $"it returns '{type.ToDisplayString(TypeDisplay.Short)}', which no method can return";
            return null;
        }

        if (type is INamedTypeSymbol named)
        {
            var definition = named.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, known.TaskOfT))
            {
                resultType = named.TypeArguments[0];
                return ReturnShape.TaskOfT;
            }

            if (SymbolEqualityComparer.Default.Equals(definition, known.ValueTaskOfT))
            {
                resultType = named.TypeArguments[0];
                return ReturnShape.ValueTaskOfT;
            }

            if (SymbolEqualityComparer.Default.Equals(definition, known.Task))
            {
                return ReturnShape.Task;
            }

            if (SymbolEqualityComparer.Default.Equals(definition, known.ValueTask))
            {
                return ReturnShape.ValueTask;
            }

            if (SymbolEqualityComparer.Default.Equals(definition, known.AsyncEnumerableOfT))
            {
                resultType = named.TypeArguments[0];
                return ReturnShape.AsyncEnumerable;
            }

            if (named.AllInterfaces.FirstOrDefault(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, known.AsyncEnumerableOfT)) is { } stream)
            {
                problem = $"it returns '{type.ToDisplayString(TypeDisplay.Short)}', a stream the wrapper cannot hand back as that type: declare the return type as '{stream.ToDisplayString(TypeDisplay.Short)}'";
                return null;
            }
        }

        if (IsRefLike(type))
        {
            return ReturnShape.RefLikeValue;
        }

        if (IsAwaitable(type))
        {
            problem = $"it returns the awaitable '{type.ToDisplayString(TypeDisplay.Short)}', and the span would end before the operation completes: return Task, Task<T>, ValueTask or ValueTask<T>";
            return null;
        }

        return ReturnShape.Value;
    }

    /// <summary>A <c>ref struct</c>, or a type parameter that may be one (<c>allows ref struct</c>): never boxed, never
    /// held by an async method, recorded as a placeholder.</summary>
    public static bool IsRefLike(ITypeSymbol type) => type.IsRefLikeType || type is ITypeParameterSymbol { AllowsRefLikeType: true };

    private static bool IsAwaitable(ITypeSymbol type) =>
        type.GetMembers("GetAwaiter").OfType<IMethodSymbol>().Any(m => !m.IsStatic && m.Parameters.Length == 0);
}
