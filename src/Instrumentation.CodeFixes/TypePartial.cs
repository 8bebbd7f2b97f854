using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Instrumentation.CodeFixes;

/// <summary>Makes types partial: every declaration of each, in whichever document it is.</summary>
internal static class TypePartial
{
    /// <summary>
    /// Adds <c>partial</c> to every declaration of every type in <paramref name="types"/> that lacks it, through the
    /// editors (created as needed), after whatever edits they already hold inside those declarations.
    /// </summary>
    public static async Task AddAsync(Solution solution, Dictionary<DocumentId, DocumentEditor> editors, IEnumerable<INamedTypeSymbol> types,
        CancellationToken cancellationToken)
    {
        foreach (var type in types)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                    && solution.GetDocument(reference.SyntaxTree) is { } document)
                {
                    var editor = await MakeMethodTracedCodeFixProvider.EditorAsync(solution, editors, document.Id, cancellationToken).ConfigureAwait(false);
                    editor.ReplaceNode(declaration, static (node, _) => SyntaxHelpers.AddPartial((TypeDeclarationSyntax)node));
                }
            }
        }
    }
}
