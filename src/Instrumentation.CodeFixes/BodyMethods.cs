using System;
using System.Collections.Generic;
using System.Linq;
using Instrumentation.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Instrumentation.CodeFixes;

/// <summary>Naming and writing the body method (<c>&lt;Name&gt;Core</c>) the generated wrapper calls.</summary>
internal static class BodyMethods
{
    /// <summary>
    /// The body method's name: <paramref name="preferred"/>, unless a member of the type (or of a base type) already
    /// uses it in a way a new method with the traced method's parameters would clash with, or another fix of the same
    /// batch has taken it; then <c>preferred2</c>, <c>preferred3</c>, ...
    /// </summary>
    public static string ChooseName(IMethodSymbol method, string preferred, Compilation compilation, ISet<string> taken)
    {
        for (var n = 1; ; n++)
        {
            var candidate = n == 1 ? preferred : preferred + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!Clashes(method, candidate, compilation) && !taken.Contains(Key(method, candidate)))
            {
                taken.Add(Key(method, candidate));
                return candidate;
            }
        }
    }

    private static string Key(IMethodSymbol method, string name) =>
        method.ContainingType.ToDisplayString() + "." + name + "`" + method.TypeParameters.Length + "("
        + string.Join(",", method.Parameters.Select(p => p.Type.ToDisplayString())) + ")";

    private static bool Clashes(IMethodSymbol method, string name, Compilation compilation)
    {
        if (name == method.ContainingType.Name || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            return true;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(name))
            {
                var visible = SymbolEqualityComparer.Default.Equals(type, method.ContainingType) || member.DeclaredAccessibility != Accessibility.Private;
                if (visible && (member is not IMethodSymbol other || SameSignature(method, other, compilation)))
                {
                    return true;
                }
            }
        }

        return method.ContainingType.GetTypeMembers(name).Length > 0;
    }

    private static bool SameSignature(IMethodSymbol method, IMethodSymbol other, Compilation compilation) =>
        other.TypeParameters.Length == method.TypeParameters.Length
        && other.Parameters.Length == method.Parameters.Length
        && method.Parameters.Zip(other.Parameters, (a, b) =>
                (a.RefKind is RefKind.Ref or RefKind.Out) == (b.RefKind is RefKind.Ref or RefKind.Out)
                && (SymbolEqualityComparer.Default.Equals(a.Type, b.Type) || compilation.ClassifyCommonConversion(a.Type, b.Type).IsIdentity))
            .All(same => same);

    /// <summary>
    /// Writes the body method from the traced method's declaration: <c>private</c> (plus <c>static</c>, <c>readonly</c>,
    /// <c>unsafe</c>, <c>async</c> as the original has them), the same return type, type parameters, constraints and
    /// parameters without defaults, <c>params</c> or <c>this</c>, and the given body. Parameter attributes the body
    /// needs (<c>[EnumeratorCancellation]</c>, nullable analysis) go with it; the others stay on the declaration.
    /// </summary>
    public static MethodDeclarationSyntax Build(MethodDeclarationSyntax source, string name, Func<AttributeSyntax, bool> keepOnBody,
        SyntaxTriviaList leading, BlockSyntax? body, ArrowExpressionClauseSyntax? expressionBody, SyntaxToken semicolon, SyntaxTriviaList beforeBody,
        bool keepAsync = true)
    {
        var modifiers = new List<SyntaxKind> { SyntaxKind.PrivateKeyword };
        foreach (var kind in new[] { SyntaxKind.StaticKeyword, SyntaxKind.ReadOnlyKeyword, SyntaxKind.UnsafeKeyword, SyntaxKind.AsyncKeyword })
        {
            if (source.Modifiers.Any(kind) && (keepAsync || kind != SyntaxKind.AsyncKeyword))
            {
                modifiers.Add(kind);
            }
        }

        var parameters = source.ParameterList.Parameters.Select(p =>
        {
            var lists = p.AttributeLists
                .Select(list => list.WithAttributes(SeparatedList(list.Attributes.Where(keepOnBody))))
                .Where(list => list.Attributes.Count > 0);
            return p.WithDefault(null)
                .WithAttributeLists(List(lists))
                .WithModifiers(TokenList(p.Modifiers.Where(m => !m.IsKind(SyntaxKind.ThisKeyword) && !m.IsKind(SyntaxKind.ParamsKeyword))))
                .WithLeadingTrivia(p.GetLeadingTrivia())
                .WithTrailingTrivia(p.Default is null ? p.GetTrailingTrivia() : p.Default.GetTrailingTrivia());
        });

        var method = MethodDeclaration(
                attributeLists: default,
                modifiers: TokenList(SyntaxHelpers.Ordered(modifiers).Select(kind => Token(TriviaList(), kind, TriviaList(Space)))),
                returnType: source.ReturnType.WithoutTrivia().WithTrailingTrivia(Space),
                explicitInterfaceSpecifier: null,
                identifier: Identifier(name),
                typeParameterList: source.TypeParameterList?.WithoutTrivia(),
                parameterList: source.ParameterList.WithParameters(SeparatedList(parameters, source.ParameterList.Parameters.GetSeparators())),
                constraintClauses: source.ConstraintClauses,
                body: body,
                expressionBody: expressionBody,
                semicolonToken: semicolon)
            .WithLeadingTrivia(leading);

        // The trivia between the signature and the body, as the original had it (a line break before '{', a space before '=>').
        var last = SyntaxHelpers.LastTokenBeforeBody(method);
        return method.ReplaceToken(last, last.WithTrailingTrivia(beforeBody));
    }

    /// <summary>A body that compiles and says what is left to do.</summary>
    public static BlockSyntax NotImplementedBody(string indentation, string indentUnit, SyntaxTrivia endOfLine)
    {
        var statement = ParseStatement("throw new System.NotImplementedException();")
            .WithLeadingTrivia(Whitespace(indentation + indentUnit))
            .WithTrailingTrivia(endOfLine);
        return Block(
            Token(TriviaList(Whitespace(indentation)), SyntaxKind.OpenBraceToken, TriviaList(endOfLine)),
            SingletonList(statement),
            Token(TriviaList(Whitespace(indentation)), SyntaxKind.CloseBraceToken, TriviaList(endOfLine)));
    }

    /// <summary>Whether a parameter attribute belongs on the body method: what the body's own compilation reads.</summary>
    public static bool BelongsOnBody(AttributeSyntax attribute, SemanticModel model) =>
        model.GetSymbolInfo(attribute).Symbol?.ContainingType is { } type
        && (type.ToDisplayString() == "System.Runtime.CompilerServices.EnumeratorCancellationAttribute"
            || type.ContainingNamespace?.ToDisplayString() == "System.Diagnostics.CodeAnalysis");

    /// <summary>Whether a parameter attribute must leave the declaration: one that only means something on a method with a body.</summary>
    public static bool OnlyOnBody(AttributeSyntax attribute, SemanticModel model) =>
        model.GetSymbolInfo(attribute).Symbol?.ContainingType?.ToDisplayString() == "System.Runtime.CompilerServices.EnumeratorCancellationAttribute";

    /// <summary>The instrumentation attribute of the method (the first), and its syntax.</summary>
    public static (AttributeData Data, AttributeSyntax? Syntax)? InstrumentationAttribute(IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
    {
        var data = method.GetAttributes().FirstOrDefault(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass));
        return data is null ? null : (data, data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax);
    }

    /// <summary>Sets <c>Implementation = nameof(<paramref name="name"/>)</c> on the attribute, replacing any value it had.</summary>
    public static AttributeSyntax WithImplementation(AttributeSyntax attribute, string name)
    {
        var value = ParseExpression("nameof(" + name + ")");
        var arguments = attribute.ArgumentList ?? AttributeArgumentList();
        var existing = arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == BodyMethodName.ImplementationArgument);
        if (existing is not null)
        {
            return attribute.WithArgumentList(arguments.ReplaceNode(existing, existing.WithExpression(value.WithTriviaFrom(existing.Expression))));
        }

        var argument = AttributeArgument(
            NameEquals(IdentifierName(BodyMethodName.ImplementationArgument), Token(TriviaList(Space), SyntaxKind.EqualsToken, TriviaList(Space))), null, value);
        var list = SeparatedList(
            arguments.Arguments.Append(argument),
            arguments.Arguments.GetSeparators().Concat(arguments.Arguments.Count > 0 ? new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) } : Array.Empty<SyntaxToken>()));
        return attribute.WithArgumentList(arguments.WithArguments(list));
    }
}
