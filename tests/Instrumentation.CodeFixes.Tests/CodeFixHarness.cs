using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Analyzers;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// Applies code fixes the way the IDE does, without the IDE: the program lives in an <see cref="AdhocWorkspace"/>
/// project, the analyzer's diagnostics come from <c>CompilationWithAnalyzers</c>, a fix is registered through a
/// <see cref="CodeFixContext"/> and applied from its <see cref="ApplyChangesOperation"/>; fix-all goes through the
/// provider's <see cref="FixAllProvider"/> with a <see cref="FixAllContext"/>.
/// </summary>
internal static class CodeFixHarness
{
    /// <summary>A project holding the files (name, text), with the same references and options as the generator tests.</summary>
    public static Project CreateProject(params (string Name, string Text)[] files)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Create(), "UserProgram", "UserProgram", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: GeneratorHarness.References));
        foreach (var (name, text) in files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, name), name, SourceText.From(text), filePath: name);
        }

        return solution.GetProject(projectId)!;
    }

    /// <summary>The analyzer's diagnostics for the project.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project) =>
        AnalyzerHarness.Analyze((await project.GetCompilationAsync())!);

    /// <summary>The generator's diagnostics for the project exactly as it reports them: located by file path and span.</summary>
    public static async Task<ImmutableArray<Diagnostic>> RawGeneratorDiagnosticsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var driver = Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create(new[] { new Instrumentation.Generator.InstrumentationGenerator().AsSourceGenerator() },
            parseOptions: (CSharpParseOptions)project.ParseOptions!);
        return driver.RunGenerators(compilation).GetRunResult().Diagnostics;
    }

    /// <summary>The code actions <paramref name="provider"/> registers for one diagnostic.</summary>
    public static async Task<IReadOnlyList<CodeAction>> ActionsAsync(Project project, CodeFixProvider provider, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        // By tree, or by path for a diagnostic as the generator reports it (a location in a file, not a tree).
        var document = project.GetDocument(diagnostic.Location.SourceTree)
            ?? project.Documents.FirstOrDefault(d => d.FilePath == diagnostic.Location.GetLineSpan().Path)
            ?? throw new InvalidOperationException("The diagnostic is not in a document of the project.");
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    /// <summary>
    /// Applies the fix with <paramref name="equivalenceKey"/> to the <paramref name="occurrence"/>-th diagnostic
    /// <paramref name="diagnosticId"/> (in source order) and returns the changed solution.
    /// </summary>
    public static async Task<Solution> ApplyFixAsync(Project project, CodeFixProvider provider, string diagnosticId, string equivalenceKey, int occurrence = 0)
    {
        var diagnostics = (await AnalyzeAsync(project)).Where(d => d.Id == diagnosticId).ToList();
        if (diagnostics.Count <= occurrence)
        {
            throw new Xunit.Sdk.XunitException($"Expected at least {occurrence + 1} {diagnosticId}, found {diagnostics.Count}.");
        }

        var actions = await ActionsAsync(project, provider, diagnostics[occurrence]);
        var action = actions.SingleOrDefault(a => a.EquivalenceKey == equivalenceKey)
            ?? throw new Xunit.Sdk.XunitException($"No action '{equivalenceKey}'. Offered: {string.Join(", ", actions.Select(a => a.EquivalenceKey + " (" + a.Title + ")"))}");
        return await ApplyAsync(action);
    }

    /// <summary>Applies fix-all of <paramref name="equivalenceKey"/> in <paramref name="scope"/> (from <paramref name="document"/> for a document scope).</summary>
    public static async Task<Solution> ApplyFixAllAsync(Project project, CodeFixProvider provider, string diagnosticId, string equivalenceKey, FixAllScope scope,
        string? document = null)
    {
        var fixAll = provider.GetFixAllProvider() ?? throw new Xunit.Sdk.XunitException("The provider has no fix-all.");
        Assert.Contains(scope, fixAll.GetSupportedFixAllScopes());
        var diagnostics = new AnalyzerDiagnostics(await AnalyzeAsync(project));
        var ids = new[] { diagnosticId };
        var context = scope == FixAllScope.Document
            ? new FixAllContext(project.Documents.Single(d => d.Name == document), provider, scope, equivalenceKey, ids, diagnostics, CancellationToken.None)
            : new FixAllContext(project, provider, scope, equivalenceKey, ids, diagnostics, CancellationToken.None);
        var action = await fixAll.GetFixAsync(context) ?? throw new Xunit.Sdk.XunitException("Fix-all offered no action.");
        Assert.Equal(equivalenceKey, action.EquivalenceKey);
        return await ApplyAsync(action);
    }

    private static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }

    /// <summary>The text of every document of the project, by name.</summary>
    public static async Task<Dictionary<string, string>> TextsAsync(Solution solution, ProjectId project)
    {
        var texts = new Dictionary<string, string>();
        foreach (var document in solution.GetProject(project)!.Documents)
        {
            texts[document.Name] = (await document.GetTextAsync()).ToString();
        }

        return texts;
    }

    /// <summary>
    /// Builds the fixed project (<see cref="AssertCleanAndGenerateAsync"/>), calls <paramref name="method"/> on a new
    /// <paramref name="typeName"/> with <paramref name="args"/>, and asserts it returned <paramref name="expected"/> and
    /// that one span named <paramref name="spanName"/> recorded <paramref name="expectedOutput"/> as its
    /// <c>mlflow.spanOutputs</c>: the fixed method runs, and it is traced. Returns that span for further checks.
    /// </summary>
    public static async Task<System.Diagnostics.Activity> AssertTracedCallAsync(Solution solution, ProjectId projectId, string typeName,
        string method, object?[] args, object? expected, string spanName, string expectedOutput)
    {
        var run = await AssertCleanAndGenerateAsync(solution, projectId);
        var instance = Instance(run.Load(), typeName);
        using var spans = new SpanCollector();

        Assert.Equal(expected, Reflect.Call(instance, method, args));
        var span = spans.Single(spanName);
        Assert.Equal(expectedOutput, span.Tag("mlflow.spanOutputs"));
        return span;
    }

    /// <summary>
    /// Asserts the fixed project has no diagnostic at all from our analyzer and, compiled with the generator, no
    /// compiler diagnostic of warning level or above; returns the generator run, ready to load and call.
    /// </summary>
    public static async Task<GeneratorRun> AssertCleanAndGenerateAsync(Solution solution, ProjectId projectId)
    {
        var project = solution.GetProject(projectId)!;
        var ours = await AnalyzeAsync(project);
        if (ours.Length > 0)
        {
            throw new Xunit.Sdk.XunitException("The fixed program still has diagnostics of ours:\n" + string.Join("\n", ours.Select(AnalyzerHarness.Describe))
                + "\n\n" + string.Join("\n\n", (await TextsAsync(solution, projectId)).Values));
        }

        var texts = await TextsAsync(solution, projectId);
        return GeneratorHarness.Run(texts.Select(t => (t.Key, t.Value))).AssertCompilesCleanly();
    }

    /// <summary>An instance of <paramref name="typeName"/> from the loaded program.</summary>
    public static object Instance(Assembly assembly, string typeName) =>
        Activator.CreateInstance(assembly.GetType(typeName, throwOnError: true)!, nonPublic: true)!;

    private sealed class AnalyzerDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _all;

        public AnalyzerDiagnostics(ImmutableArray<Diagnostic> all) => _all = all;

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(_all.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(_all.Where(d => d.Location.SourceTree is null));

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_all);
    }
}
