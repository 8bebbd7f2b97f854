using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// The members C# lets the instrumentation attributes sit on but the generator never implements (local functions,
/// lambdas, accessors, operators, constructors, abstract, extern and interface members): why, and what to do instead
/// (AIT011).
/// </summary>
internal static class MembersNeverTraced
{
    /// <summary>How a message names the member: <c>this lambda</c>, <c>the accessor of 'Name'</c>, <c>'Add'</c>.</summary>
    public static string Describe(IMethodSymbol method) => method.MethodKind switch
    {
        MethodKind.AnonymousFunction => "this lambda",
        MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise
            when method.AssociatedSymbol is { } member => "the accessor of '" + member.Name + "'",
        MethodKind.Destructor => "the finalizer of '" + method.ContainingType.Name + "'",
        MethodKind.UserDefinedOperator or MethodKind.Conversion or MethodKind.BuiltinOperator =>
            "'" + method.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.WithMemberOptions(SymbolDisplayMemberOptions.None)) + "'",
        _ => "'" + method.Name + "'",
    };

    /// <summary>Why the generator never implements this kind of member, and what to do instead; <see langword="null"/> for
    /// a method of a class or struct, which the inspector's rules apply to.</summary>
    public static (string What, string Remedy)? Reason(IMethodSymbol method)
    {
        const string Instead = "trace a partial method of a class or struct and call it from here, or remove the attribute";
        switch (method.MethodKind)
        {
            case MethodKind.LocalFunction:
                return ("a local function", "move it into a partial method of the containing type (the code that calls it stays the same), or remove the attribute");
            case MethodKind.AnonymousFunction:
                return ("a lambda", Instead);
            case MethodKind.PropertyGet or MethodKind.PropertySet:
                return ("a property accessor", Instead);
            case MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise:
                return ("an event accessor", Instead);
            case MethodKind.UserDefinedOperator or MethodKind.BuiltinOperator or MethodKind.Conversion:
                return ("an operator", Instead);
            case MethodKind.Destructor:
                return ("a finalizer", Instead);
            case MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.SharedConstructor:
                return ("a constructor", Instead);
            case MethodKind.ExplicitInterfaceImplementation:
                return ("an explicit interface implementation, which cannot be partial", "trace a partial method and call it from the explicit implementation, or remove the attribute");
        }

        if (method.MethodKind != MethodKind.Ordinary || method.ContainingType is null)
        {
            return ("not a method of a class or struct", Instead);
        }

        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            return ("an interface member", "put the attribute on the method that implements it, in a partial class or struct");
        }

        if (method.ContainingType.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return ("declared in a " + method.ContainingType.TypeKind.ToString().ToLowerInvariant(), "move it into a partial class or struct");
        }

        if (method.IsAbstract)
        {
            return ("abstract", "put the attribute on the method that overrides it");
        }

        if (method.IsExtern)
        {
            return ("extern, so its body is not C# the generator could call", "trace a partial method that calls it, or remove the attribute");
        }

        return null;
    }
}
