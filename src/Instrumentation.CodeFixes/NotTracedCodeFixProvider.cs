using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Instrumentation.CodeFixes;

/// <summary>AIT008 on a parameter: marks it <c>[NotTraced]</c>, leaving it out of the span's inputs.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NotTracedCodeFixProvider)), Shared]
public sealed class NotTracedCodeFixProvider : InstrumentationCodeFixProvider
{
    /// <summary>Equivalence key of the fix.</summary>
    public const string Key = DiagnosticIds.ValueRecordedAsPlaceholder + ".MarkNotTraced";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ValueRecordedAsPlaceholder);

    internal override async Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return FindParameter(root, diagnostic) is { } parameter
            ? new[] { new FixOffer($"Leave '{parameter.Identifier.ValueText}' out of the span's inputs: mark it [NotTraced]", Key) }
            : System.Array.Empty<FixOffer>();
    }

    internal override string FixAllTitle(string equivalenceKey) => "Mark every parameter recorded as a placeholder [NotTraced]";

    internal override async Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<FixTarget> targets, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editors = new Dictionary<DocumentId, DocumentEditor>();
        foreach (var target in targets)
        {
            var document = solution.GetDocument(target.Document);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (document is null || model is null || FindParameter(root, target.Diagnostic) is not { } parameter)
            {
                continue;
            }

            // The short name where it binds to our attribute (a 'using Instrumentation;' is in scope), else the full one.
            var shortName = model.GetSpeculativeTypeInfo(parameter.SpanStart, IdentifierName("NotTracedAttribute"), SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
            var name = shortName?.ToDisplayString() == KnownTypes.NotTracedAttribute ? "NotTraced" : "global::Instrumentation.NotTraced";
            var list = AttributeList(SingletonSeparatedList(Attribute(ParseName(name)))).WithTrailingTrivia(Space);
            var marked = parameter.WithoutLeadingTrivia().AddAttributeLists(list).WithLeadingTrivia(parameter.GetLeadingTrivia());

            var editor = await MakeMethodTracedCodeFixProvider.EditorAsync(solution, editors, document.Id, cancellationToken).ConfigureAwait(false);
            editor.ReplaceNode(parameter, marked);
        }

        return MakeMethodTracedCodeFixProvider.Apply(solution, editors);
    }

    private static ParameterSyntax? FindParameter(SyntaxNode? root, Diagnostic diagnostic) =>
        root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ParameterSyntax parameter
            ? parameter
            : null;
}
