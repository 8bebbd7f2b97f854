using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Instrumentation.CodeFixes;

/// <summary>Syntax edits the fixes share, written to keep the user's formatting: indentation, line endings, comments.</summary>
internal static class SyntaxHelpers
{
    /// <summary>
    /// The document a location is in: by its syntax tree, or, for a location that names a file (what a generator's
    /// diagnostics carry, since a generator cannot hold syntax trees), by its path.
    /// </summary>
    public static Document? DocumentAt(Solution solution, Location location)
    {
        if (location.SourceTree is { } tree && solution.GetDocument(tree) is { } document)
        {
            return document;
        }

        var path = location.GetLineSpan().Path;
        return solution.GetDocumentIdsWithFilePath(path).Select(solution.GetDocument).FirstOrDefault(d => d is not null);
    }

    /// <summary>The line ending the document uses (its first), or <c>\n</c>.</summary>
    public static SyntaxTrivia EndOfLine(SyntaxNode root)
    {
        var first = root.DescendantTrivia(descendIntoTrivia: false).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return first.IsKind(SyntaxKind.EndOfLineTrivia) ? first : LineFeed;
    }

    /// <summary>The whitespace that indents the line <paramref name="node"/> starts on.</summary>
    public static string Indentation(SyntaxNode node)
    {
        var leading = node.GetFirstToken().LeadingTrivia;
        var last = leading.LastOrDefault();
        return last.IsKind(SyntaxKind.WhitespaceTrivia) ? last.ToString() : string.Empty;
    }

    /// <summary>One level of indentation, as the code around <paramref name="member"/> writes it.</summary>
    public static string IndentUnit(SyntaxNode member)
    {
        var own = Indentation(member);
        if (member.Parent is TypeDeclarationSyntax type)
        {
            var outer = Indentation(type);
            if (own.Length > outer.Length && own.StartsWith(outer, StringComparison.Ordinal))
            {
                return own.Substring(outer.Length);
            }
        }

        return own.Contains("\t") ? "\t" : "    ";
    }

    /// <summary>
    /// Adds <c>partial</c> to a type declaration, right before its keyword (where C# requires it: <c>public ref partial
    /// struct</c>, <c>partial record struct</c>); the declaration's leading trivia stays first.
    /// </summary>
    public static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return type;
        }

        if (type.Modifiers.Count == 0)
        {
            var partial = Token(type.Keyword.LeadingTrivia, SyntaxKind.PartialKeyword, TriviaList(Space));
            return type.WithKeyword(type.Keyword.WithLeadingTrivia()).WithModifiers(TokenList(partial));
        }

        return type.WithModifiers(type.Modifiers.Add(Token(TriviaList(), SyntaxKind.PartialKeyword, TriviaList(Space))));
    }

    /// <summary>
    /// Replaces a method's modifiers, keeping the declaration's leading trivia (indentation, or a doc comment when the
    /// method has no attributes) on whatever token now comes first.
    /// </summary>
    public static MethodDeclarationSyntax WithModifiersKeepingTrivia(MethodDeclarationSyntax method, IEnumerable<SyntaxKind> modifiers)
    {
        var kinds = modifiers.ToList();
        var leading = method.Modifiers.Count > 0 ? method.Modifiers[0].LeadingTrivia : method.ReturnType.GetLeadingTrivia();
        var tokens = kinds.Select(kind =>
            method.Modifiers.FirstOrDefault(m => m.IsKind(kind)) is { RawKind: not 0 } existing
                ? existing.WithLeadingTrivia().WithTrailingTrivia(Space)
                : Token(TriviaList(), kind, TriviaList(Space))).ToList();

        var returnType = method.ReturnType;
        if (tokens.Count > 0)
        {
            tokens[0] = tokens[0].WithLeadingTrivia(leading);
            returnType = returnType.WithLeadingTrivia();
        }
        else
        {
            returnType = returnType.WithLeadingTrivia(leading);
        }

        return method.WithModifiers(TokenList(tokens)).WithReturnType(returnType);
    }

    /// <summary>The modifiers of the method in C#'s usual order.</summary>
    public static IEnumerable<SyntaxKind> Ordered(IEnumerable<SyntaxKind> kinds)
    {
        var set = new HashSet<SyntaxKind>(kinds);
        return Order.Where(set.Contains);
    }

    private static readonly SyntaxKind[] Order =
    {
        SyntaxKind.PublicKeyword, SyntaxKind.ProtectedKeyword, SyntaxKind.InternalKeyword, SyntaxKind.PrivateKeyword,
        SyntaxKind.FileKeyword, SyntaxKind.StaticKeyword, SyntaxKind.ExternKeyword, SyntaxKind.NewKeyword, SyntaxKind.VirtualKeyword,
        SyntaxKind.AbstractKeyword, SyntaxKind.SealedKeyword, SyntaxKind.OverrideKeyword, SyntaxKind.ReadOnlyKeyword,
        SyntaxKind.UnsafeKeyword, SyntaxKind.VolatileKeyword, SyntaxKind.AsyncKeyword, SyntaxKind.PartialKeyword,
    };

    /// <summary>Whether the modifiers include an accessibility keyword.</summary>
    public static bool HasAccessibility(SyntaxTokenList modifiers) => modifiers.Any(m =>
        m.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PrivateKeyword);

    /// <summary>
    /// Splits the trivia after a method's signature into a comment on the signature's line (with the spaces before
    /// it) and the remainder (the line break and what follows it): <c>)  // note⏎</c> gives <c>"  // note"</c> and <c>"⏎"</c>.
    /// </summary>
    public static (SyntaxTriviaList Comment, SyntaxTriviaList Remainder) SplitLineComment(SyntaxTriviaList trivia)
    {
        var endOfLine = trivia.IndexOf(SyntaxKind.EndOfLineTrivia);
        var head = endOfLine < 0 ? trivia.ToList() : trivia.Take(endOfLine).ToList();
        if (!head.Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)))
        {
            return (TriviaList(), trivia);
        }

        return (TriviaList(head), endOfLine < 0 ? TriviaList() : TriviaList(trivia.Skip(endOfLine)));
    }

    /// <summary>The last token before the method's body: where a declaration ends with <c>;</c> instead.</summary>
    public static SyntaxToken LastTokenBeforeBody(MethodDeclarationSyntax method) =>
        method.ConstraintClauses.Count > 0 ? method.ConstraintClauses.Last().GetLastToken() : method.ParameterList.CloseParenToken;
}
