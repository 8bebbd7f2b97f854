using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Instrumentation.CodeFixes;

/// <summary>
/// AIT001 and AIT002: turns an annotated method with a body into what the generator wraps. The method becomes the
/// partial declaration (attributes, XML docs, default values and modifiers stay; <c>async</c> goes), its body moves into
/// a private <c>&lt;Name&gt;Core</c> method right below it, and every type that contains it becomes partial, in every
/// file that declares it. When <c>&lt;Name&gt;Core</c> is taken, the body method gets a free name and the attribute
/// names it with <c>Implementation = nameof(...)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodTracedCodeFixProvider)), Shared]
public sealed class MakeMethodTracedCodeFixProvider : InstrumentationCodeFixProvider
{
    /// <summary>Equivalence key of the fix for AIT001 (an ordinary method).</summary>
    public const string MakeTracedKey = DiagnosticIds.NotPartial + ".MakeTraced";

    /// <summary>Equivalence key of the fix for AIT002 (a partial method with a body).</summary>
    public const string MoveBodyKey = DiagnosticIds.PartialWithBody + ".MoveBody";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.NotPartial, DiagnosticIds.PartialWithBody);

    internal override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (FindMethod(root, diagnostic) is not { } method || (method.Body is null && method.ExpressionBody is null))
        {
            return System.Array.Empty<FixOffer>();
        }

        var name = method.Identifier.ValueText;
        var body = BodyMethodName.From(diagnostic, name);
        return diagnostic.Id == DiagnosticIds.NotPartial
            ? new[] { new FixOffer($"Trace '{name}': make it partial and move its body into '{body}'", MakeTracedKey) }
            : new[] { new FixOffer($"Move the body of '{name}' into '{body}'", MoveBodyKey) };
    }

    internal override string FixAllTitle(string equivalenceKey) => equivalenceKey == MakeTracedKey
        ? "Trace every instrumented method: make them partial and move their bodies"
        : "Move every instrumented partial method's body into its body method";

    internal override async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<FixTarget> targets, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editors = new Dictionary<DocumentId, DocumentEditor>();
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var taken = new HashSet<string>();

        foreach (var group in targets.GroupBy(t => t.Document))
        {
            var document = solution.GetDocument(group.Key);
            if (document is null)
            {
                continue;
            }

            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                continue;
            }

            var endOfLine = SyntaxHelpers.EndOfLine(root);
            foreach (var target in group)
            {
                if (FindMethod(root, target.Diagnostic) is not { } method || (method.Body is null && method.ExpressionBody is null)
                    || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol)
                {
                    continue;
                }

                var definition = symbol.PartialDefinitionPart ?? symbol;
                if (BodyMethods.InstrumentationAttribute(definition, cancellationToken) is not { } attribute)
                {
                    continue;
                }

                var preferred = BodyMethodName.Of(definition, attribute.Data);
                var name = BodyMethods.ChooseName(definition, preferred, model.Compilation, taken);
                var editor = await EditorAsync(solution, editors, document.Id, cancellationToken).ConfigureAwait(false);

                if (symbol.PartialDefinitionPart is not null)
                {
                    // The user's own implementing declaration: it becomes the body method, where it is.
                    editor.ReplaceNode(method, ToBodyMethod(method, name, model, method.GetLeadingTrivia()));
                    if (name != preferred && attribute.Syntax is { } attributeSyntax
                        && solution.GetDocument(attributeSyntax.SyntaxTree) is { } attributeDocument)
                    {
                        var attributeEditor = await EditorAsync(solution, editors, attributeDocument.Id, cancellationToken).ConfigureAwait(false);
                        attributeEditor.ReplaceNode(attributeSyntax, BodyMethods.WithImplementation(attributeSyntax, name));
                    }
                }
                else
                {
                    // The method itself: the declaration stays where it is, the body method follows it.
                    var leading = TriviaList(endOfLine, Whitespace(SyntaxHelpers.Indentation(method)));
                    editor.InsertAfter(method, ToBodyMethod(method, name, model, leading));
                    var source = name != preferred && attribute.Syntax is { } attributeSyntax && method.Contains(attributeSyntax)
                        ? method.ReplaceNode(attributeSyntax, BodyMethods.WithImplementation(attributeSyntax, name))
                        : method;
                    editor.ReplaceNode(method, ToDeclaration(source, model, method));
                }

                for (var type = definition.ContainingType; type is not null; type = type.ContainingType)
                {
                    types.Add(type);
                }
            }
        }

        await TypePartial.AddAsync(solution, editors, types, cancellationToken).ConfigureAwait(false);
        return Apply(solution, editors);
    }

    internal static async Task<DocumentEditor> EditorAsync(Solution solution, Dictionary<DocumentId, DocumentEditor> editors, DocumentId id, CancellationToken cancellationToken)
    {
        if (!editors.TryGetValue(id, out var editor))
        {
            editor = await DocumentEditor.CreateAsync(solution.GetDocument(id)!, cancellationToken).ConfigureAwait(false);
            editors.Add(id, editor);
        }

        return editor;
    }

    internal static Solution Apply(Solution solution, Dictionary<DocumentId, DocumentEditor> editors)
    {
        foreach (var pair in editors)
        {
            solution = solution.WithDocumentSyntaxRoot(pair.Key, pair.Value.GetChangedRoot());
        }

        return solution;
    }

    private static MethodDeclarationSyntax? FindMethod(SyntaxNode? root, Diagnostic diagnostic) =>
        root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>();

    /// <summary>The body method: the original's signature and body under the new name.</summary>
    private static MethodDeclarationSyntax ToBodyMethod(MethodDeclarationSyntax method, string name, SemanticModel model, SyntaxTriviaList leading)
    {
        // A comment on the signature's line stays with the declaration.
        var beforeBody = SyntaxHelpers.SplitLineComment(SyntaxHelpers.LastTokenBeforeBody(method).TrailingTrivia).Remainder;
        return BodyMethods.Build(method, name, attribute => BodyMethods.BelongsOnBody(attribute, model), leading,
            method.Body, method.ExpressionBody, method.SemicolonToken, beforeBody);
    }

    /// <summary>
    /// The partial declaration: the same attributes, docs, parameters (defaults included) and modifiers, but
    /// <c>partial</c> instead of <c>async</c>, an explicit accessibility (C# requires one of a partial method that returns
    /// a value) and <c>;</c> instead of the body.
    /// </summary>
    private static MethodDeclarationSyntax ToDeclaration(MethodDeclarationSyntax source, SemanticModel model, MethodDeclarationSyntax original)
    {
        // Attributes that only mean something on a method with a body leave the declaration (the body method has them).
        var parameters = source.ParameterList.Parameters.Select((p, i) =>
        {
            var originalParameter = original.ParameterList.Parameters[i];
            var lists = p.AttributeLists
                .Select((list, l) => list.WithAttributes(SeparatedList(list.Attributes.Where((a, k) =>
                    !BodyMethods.OnlyOnBody(originalParameter.AttributeLists[l].Attributes[k], model)))))
                .Where(list => list.Attributes.Count > 0)
                .ToList();
            return lists.Count == p.AttributeLists.Count ? p : p.WithAttributeLists(List(lists)).WithLeadingTrivia(p.GetLeadingTrivia());
        });
        var declaration = source.WithParameterList(source.ParameterList.WithParameters(
            SeparatedList(parameters, source.ParameterList.Parameters.GetSeparators())));

        var kinds = declaration.Modifiers.Select(m => m.Kind()).Where(k => k != SyntaxKind.AsyncKeyword).ToList();
        if (!SyntaxHelpers.HasAccessibility(declaration.Modifiers))
        {
            kinds.Insert(0, SyntaxKind.PrivateKeyword);
        }

        if (!kinds.Contains(SyntaxKind.PartialKeyword))
        {
            kinds.Add(SyntaxKind.PartialKeyword);
        }

        declaration = SyntaxHelpers.WithModifiersKeepingTrivia(declaration, kinds);

        // ';' where the body was, then a comment the signature's line had, then what followed the body (the line break).
        var afterBody = declaration.Body is { } block ? block.CloseBraceToken.TrailingTrivia : declaration.SemicolonToken.TrailingTrivia;
        var last = SyntaxHelpers.LastTokenBeforeBody(declaration);
        var comment = SyntaxHelpers.SplitLineComment(last.TrailingTrivia).Comment;
        declaration = declaration.ReplaceToken(last, last.WithTrailingTrivia());
        return declaration
            .WithBody(null)
            .WithExpressionBody(null)
            .WithSemicolonToken(Token(TriviaList(), SyntaxKind.SemicolonToken, comment.AddRange(afterBody)));
    }
}
