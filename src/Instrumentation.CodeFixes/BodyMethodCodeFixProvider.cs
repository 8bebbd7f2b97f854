using System;
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
using Microsoft.CodeAnalysis.Rename;

using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Instrumentation.CodeFixes;

/// <summary>
/// AIT004: creates the missing body method below the partial declaration (same signature, a body that throws
/// <see cref="NotImplementedException"/>), or renames a method whose signature already matches (a misspelt
/// <c>AddCroe</c>, an <c>AddImpl</c>) to the name the generator looks for.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BodyMethodCodeFixProvider)), Shared]
public sealed class BodyMethodCodeFixProvider : InstrumentationCodeFixProvider
{
    /// <summary>Equivalence key of the fix that creates the body method.</summary>
    public const string CreateKey = DiagnosticIds.ImplementationMissing + ".CreateBodyMethod";

    /// <summary>Prefix of the equivalence key of a rename; the method renamed follows it.</summary>
    public const string RenameKeyPrefix = DiagnosticIds.ImplementationMissing + ".RenameBodyMethod.";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ImplementationMissing);

    internal override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (await FindAsync(document, diagnostic, cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return Array.Empty<FixOffer>();
        }

        var offers = new List<FixOffer> { new($"Create the body method '{found.BodyName}'", CreateKey) };
        foreach (var candidate in RenameCandidates(found.Method, found.BodyName, found.Model.Compilation))
        {
            offers.Add(new FixOffer($"Rename '{candidate.Name}' to '{found.BodyName}'", RenameKeyPrefix + candidate.Name));
        }

        return offers;
    }

    internal override bool SupportsFixAll(string equivalenceKey) => equivalenceKey == CreateKey;

    internal override string FixAllTitle(string equivalenceKey) => "Create every missing body method";

    internal override async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<FixTarget> targets, string equivalenceKey, CancellationToken cancellationToken)
    {
        if (equivalenceKey.StartsWith(RenameKeyPrefix, StringComparison.Ordinal))
        {
            // One rename at a time: a rename fix is offered per diagnostic and per candidate, never batched.
            var target = targets[0];
            if (solution.GetDocument(target.Document) is not { } document
                || await FindAsync(document, target.Diagnostic, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return solution;
            }

            var oldName = equivalenceKey.Substring(RenameKeyPrefix.Length);
            var candidate = RenameCandidates(found.Method, found.BodyName, found.Model.Compilation).FirstOrDefault(c => c.Name == oldName);
            return candidate is null
                ? solution
                : await Renamer.RenameSymbolAsync(solution, candidate, new SymbolRenameOptions(), found.BodyName, cancellationToken).ConfigureAwait(false);
        }

        var editors = new Dictionary<DocumentId, DocumentEditor>();
        var taken = new HashSet<string>();
        foreach (var target in targets)
        {
            if (solution.GetDocument(target.Document) is not { } document
                || await FindAsync(document, target.Diagnostic, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                continue;
            }

            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var endOfLine = SyntaxHelpers.EndOfLine(root!);
            var indentation = SyntaxHelpers.Indentation(found.Declaration);
            var name = BodyMethods.ChooseName(found.Method, found.BodyName, found.Model.Compilation, taken);
            var body = BodyMethods.Build(found.Declaration, name, attribute => BodyMethods.BelongsOnBody(attribute, found.Model),
                TriviaList(endOfLine, Whitespace(indentation)),
                BodyMethods.NotImplementedBody(indentation, SyntaxHelpers.IndentUnit(found.Declaration), endOfLine),
                null, default, TriviaList(endOfLine), keepAsync: false);

            var editor = await MakeMethodTracedCodeFixProvider.EditorAsync(solution, editors, document.Id, cancellationToken).ConfigureAwait(false);
            editor.InsertAfter(found.Declaration, body);

            // The name the generator looks for was taken by something else (a property, say): name the new method.
            if (name != found.BodyName && BodyMethods.InstrumentationAttribute(found.Method, cancellationToken)?.Syntax is { } attribute
                && solution.GetDocument(attribute.SyntaxTree) is { } attributeDocument)
            {
                var attributeEditor = await MakeMethodTracedCodeFixProvider.EditorAsync(solution, editors, attributeDocument.Id, cancellationToken).ConfigureAwait(false);
                attributeEditor.ReplaceNode(attribute, BodyMethods.WithImplementation(attribute, name));
            }
        }

        return MakeMethodTracedCodeFixProvider.Apply(solution, editors);
    }

    private sealed record Found(MethodDeclarationSyntax Declaration, IMethodSymbol Method, string BodyName, SemanticModel Model);

    private static async Task<Found?> FindAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } declaration
            || model?.GetDeclaredSymbol(declaration, cancellationToken) is not { } method
            || declaration.Body is not null || declaration.ExpressionBody is not null)
        {
            return null;
        }

        return new Found(declaration, method, BodyMethodName.From(diagnostic, method.Name), model);
    }

    /// <summary>
    /// Methods of the type that could serve as the body as they are, under a name close to the expected one: a typo
    /// (edit distance up to a third of the name), or the traced method's name with another suffix (<c>AddImpl</c>).
    /// Never a traced method, and never the body method of another traced method: renaming <c>GetForecastAsyncCore</c>
    /// for a <c>GetForecastsAsync</c> would take it from <c>GetForecastAsync</c>, which would then have no body.
    /// </summary>
    private static IEnumerable<IMethodSymbol> RenameCandidates(IMethodSymbol method, string bodyName, Compilation compilation)
    {
        var othersBodies = new HashSet<string>(method.ContainingType.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => !SymbolEqualityComparer.Default.Equals(m, method) && !SymbolEqualityComparer.Default.Equals(m.PartialDefinitionPart ?? m, method))
            .Select(m => (Method: m, Attribute: m.GetAttributes().FirstOrDefault(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass))))
            .Where(m => m.Attribute is not null)
            .Select(m => BodyMethodName.Of(m.Method, m.Attribute!)),
            StringComparer.Ordinal);
        return method.ContainingType.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.Name != method.Name && m.Name != bodyName && m.Locations.Any(l => l.IsInSource)
                && !othersBodies.Contains(m.Name)
                && !m.GetAttributes().Any(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass)))
            .Select(m => (Method: m, Distance: Distance(m.Name, bodyName)))
            .Where(c => (c.Distance <= Math.Max(2, bodyName.Length / 3) || c.Method.Name.StartsWith(method.Name, StringComparison.Ordinal))
                && ImplementationMatcher.Compare(method, c.Method, compilation) is null)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Method.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Method);
    }

    /// <summary>Levenshtein distance, ignoring case.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
