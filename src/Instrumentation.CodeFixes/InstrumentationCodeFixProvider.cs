using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Instrumentation.CodeFixes;

/// <summary>One fix a provider offers for one diagnostic: its title and equivalence key.</summary>
internal readonly struct FixOffer
{
    public FixOffer(string title, string equivalenceKey)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }
}

/// <summary>A diagnostic to fix, and the document it was reported in.</summary>
internal readonly struct FixTarget
{
    public FixTarget(DocumentId document, Diagnostic diagnostic)
    {
        Document = document;
        Diagnostic = diagnostic;
    }

    public DocumentId Document { get; }

    public Diagnostic Diagnostic { get; }
}

/// <summary>
/// The shape every fix here shares: a provider says which fixes it offers for a diagnostic, and applies one of them to
/// any number of diagnostics at once, against one solution. A single fix is the one-diagnostic case; fix-all (in a
/// document, a project or the solution) is the same code with every diagnostic of the scope, so the two cannot differ,
/// and edits that touch the same node (two methods of one type both making the type partial) are made once.
/// </summary>
public abstract class InstrumentationCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => new BatchFixAllProvider(this);

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var offer in await GetOffersAsync(document, diagnostic, context.CancellationToken).ConfigureAwait(false))
            {
                var target = new FixTarget(document.Id, diagnostic);
                var key = offer.EquivalenceKey;
                context.RegisterCodeFix(
                    CodeAction.Create(offer.Title, ct => ApplyAsync(document.Project.Solution, new[] { target }, key, ct), key),
                    diagnostic);
            }
        }
    }

    /// <summary>The fixes offered for <paramref name="diagnostic"/>; none when its code is not what the fix expects.</summary>
    internal abstract Task<IReadOnlyList<FixOffer>> GetOffersAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>Applies the fix named by <paramref name="equivalenceKey"/> to every target at once.</summary>
    internal abstract Task<Solution> ApplyAsync(Solution solution, IReadOnlyList<FixTarget> targets, string equivalenceKey, CancellationToken cancellationToken);

    /// <summary>Whether fix-all applies to the fix with this key (a rename to one particular method does not).</summary>
    internal virtual bool SupportsFixAll(string equivalenceKey) => true;

    /// <summary>The title of the fix-all action.</summary>
    internal virtual string FixAllTitle(string equivalenceKey) => "Fix all " + equivalenceKey.Split('.')[0];

    private sealed class BatchFixAllProvider : FixAllProvider
    {
        private readonly InstrumentationCodeFixProvider _provider;

        public BatchFixAllProvider(InstrumentationCodeFixProvider provider) => _provider = provider;

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var key = fixAllContext.CodeActionEquivalenceKey;
            if (key is null || !_provider.SupportsFixAll(key))
            {
                return null;
            }

            IEnumerable<Document> documents = fixAllContext.Scope switch
            {
                FixAllScope.Document when fixAllContext.Document is { } document => new[] { document },
                FixAllScope.Project => fixAllContext.Project.Documents,
                FixAllScope.Solution => fixAllContext.Solution.Projects.SelectMany(p => p.Documents),
                _ => Enumerable.Empty<Document>(),
            };

            // Every diagnostic of the scope for which the provider offers this very fix.
            var targets = new List<FixTarget>();
            foreach (var document in documents)
            {
                var diagnostics = await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                foreach (var diagnostic in diagnostics.Where(d => fixAllContext.DiagnosticIds.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start))
                {
                    var offers = await _provider.GetOffersAsync(document, diagnostic, fixAllContext.CancellationToken).ConfigureAwait(false);
                    if (offers.Any(o => o.EquivalenceKey == key))
                    {
                        targets.Add(new FixTarget(document.Id, diagnostic));
                    }
                }
            }

            if (targets.Count == 0)
            {
                return null;
            }

            var solution = fixAllContext.Solution;
            var frozen = targets.ToImmutableArray();
            return CodeAction.Create(_provider.FixAllTitle(key), ct => _provider.ApplyAsync(solution, frozen, key, ct), key);
        }
    }
}
