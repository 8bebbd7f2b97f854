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
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.CodeFixes;

/// <summary>
/// AIT007: removes the extra instrumentation attribute; AIT011: removes the attribute that has no effect. The attribute
/// goes with its comma, or its whole <c>[...]</c> list, or its whole line when the list stood alone on it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveAttributeCodeFixProvider)), Shared]
public sealed class RemoveAttributeCodeFixProvider : InstrumentationCodeFixProvider
{
    /// <summary>Equivalence key of the fix for AIT007.</summary>
    public const string RemoveDuplicateKey = DiagnosticIds.DuplicateAttributes + ".RemoveAttribute";

    /// <summary>Equivalence key of the fix for AIT011.</summary>
    public const string RemoveNoEffectKey = DiagnosticIds.AttributeHasNoEffect + ".RemoveAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.DuplicateAttributes, DiagnosticIds.AttributeHasNoEffect);

    internal override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (FindAttribute(root, diagnostic) is not { } attribute)
        {
            return System.Array.Empty<FixOffer>();
        }

        var key = diagnostic.Id == DiagnosticIds.DuplicateAttributes ? RemoveDuplicateKey : RemoveNoEffectKey;
        return new[] { new FixOffer($"Remove [{attribute.Name}]", key) };
    }

    internal override string FixAllTitle(string equivalenceKey) => equivalenceKey == RemoveDuplicateKey
        ? "Remove every extra instrumentation attribute"
        : "Remove every instrumentation attribute that has no effect";

    internal override async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<FixTarget> targets, string equivalenceKey, CancellationToken cancellationToken)
    {
        foreach (var group in targets.GroupBy(t => t.Document))
        {
            var document = solution.GetDocument(group.Key);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (document is null || root is null)
            {
                continue;
            }

            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var changes = group
                .Select(t => FindAttribute(root, t.Diagnostic))
                .Where(a => a is not null)
                .Distinct()
                .Select(a => new TextChange(RemovalSpan(a!, text), string.Empty))
                .OrderBy(c => c.Span.Start)
                .ToList();

            // Two removals never overlap (each is one attribute, or a list holding only it); keep the first if they did.
            var kept = new List<TextChange>();
            foreach (var change in changes)
            {
                if (kept.Count == 0 || kept[kept.Count - 1].Span.End <= change.Span.Start)
                {
                    kept.Add(change);
                }
            }

            solution = solution.WithDocumentText(document.Id, text.WithChanges(kept));
        }

        return solution;
    }

    private static AttributeSyntax? FindAttribute(SyntaxNode? root, Diagnostic diagnostic) =>
        root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>();

    private static TextSpan RemovalSpan(AttributeSyntax attribute, SourceText text)
    {
        var list = (AttributeListSyntax)attribute.Parent!;
        if (list.Attributes.Count > 1)
        {
            // "[A, B]": the attribute and the comma before it, or, for the first, the comma and space after it.
            var index = list.Attributes.IndexOf(attribute);
            return index > 0
                ? TextSpan.FromBounds(list.Attributes.GetSeparator(index - 1).SpanStart, attribute.Span.End)
                : TextSpan.FromBounds(attribute.SpanStart, list.Attributes.GetSeparator(0).FullSpan.End);
        }

        var line = text.Lines.GetLineFromPosition(list.SpanStart);
        var before = text.ToString(TextSpan.FromBounds(line.Start, list.SpanStart));
        var after = text.ToString(TextSpan.FromBounds(list.Span.End, line.End));
        if (string.IsNullOrWhiteSpace(before) && string.IsNullOrWhiteSpace(after))
        {
            // The list alone on its line: the whole line.
            return line.SpanIncludingLineBreak;
        }

        // Beside other code: the list, and the spaces after it when spaces or the line's start come before it
        // ("[A] [B] x" loses "[B] "; "[A][B] x" loses "[B]").
        var end = list.Span.End;
        if (before.Length == 0 || char.IsWhiteSpace(before[before.Length - 1]))
        {
            while (end < line.End && (text[end] == ' ' || text[end] == '\t'))
            {
                end++;
            }
        }

        return TextSpan.FromBounds(list.SpanStart, end);
    }
}
