using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Instrumentation.CodeFixes;

/// <summary>AIT003: adds <c>partial</c> to the type the diagnostic names, on every declaration of it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFixProvider)), Shared]
public sealed class MakeTypePartialCodeFixProvider : InstrumentationCodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = DiagnosticIds.ContainingTypeNotPartial + ".MakeTypePartial";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ContainingTypeNotPartial);

    internal override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        await FindTypeAsync(document.Project.Solution, diagnostic, cancellationToken).ConfigureAwait(false) is { } type
            ? new[] { new FixOffer($"Make '{type.Name}' partial", Key) }
            : System.Array.Empty<FixOffer>();

    internal override string FixAllTitle(string equivalenceKey) => "Make every type that contains an instrumented method partial";

    internal override async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<FixTarget> targets, string equivalenceKey, CancellationToken cancellationToken)
    {
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var target in targets)
        {
            if (await FindTypeAsync(solution, target.Diagnostic, cancellationToken).ConfigureAwait(false) is { } type)
            {
                types.Add(type);
            }
        }

        var editors = new Dictionary<DocumentId, DocumentEditor>();
        await TypePartial.AddAsync(solution, editors, types, cancellationToken).ConfigureAwait(false);
        return MakeMethodTracedCodeFixProvider.Apply(solution, editors);
    }

    /// <summary>The type: its declarations that lack <c>partial</c> are the diagnostic's additional locations.</summary>
    private static async Task<INamedTypeSymbol?> FindTypeAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        // The generator reports AIT003, and a generator's locations name a file rather than a syntax tree.
        var location = diagnostic.AdditionalLocations.FirstOrDefault(l => l.IsInSource || l.Kind == LocationKind.ExternalFile);
        if (location is null || SyntaxHelpers.DocumentAt(solution, location) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return null;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return root.FindNode(location.SourceSpan).FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } declaration
            ? model?.GetDeclaredSymbol(declaration, cancellationToken) as INamedTypeSymbol
            : null;
    }
}
