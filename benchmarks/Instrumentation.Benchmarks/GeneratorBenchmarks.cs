using System;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Instrumentation.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The generator over a project of 1,000 annotated methods (<see cref="GeneratorCorpus"/>), driven as the compiler
/// and the IDE drive it. Cold: a new compilation of the parsed files and a new driver, so the run does all the work of
/// a build: symbol binding its queries need, inspecting 1,000 methods, writing 1,000 files. Then, on a driver that has
/// already run: an edit of one method's body (incremental; nothing to regenerate), an edit of one annotated method's
/// attribute (exactly one file regenerated), and a rerun with no edit at all (the floor). Each edit is a real text change
/// of one file, incrementally reparsed, against the compilation and driver of the previous invocation.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 20)]
public class GeneratorBenchmarks
{
    private ImmutableArray<SyntaxTree> _trees;
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _driver = null!;
    private SyntaxTree _editedTree = null!;
    private int _bodyPosition;
    private int _namePosition;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _trees = GeneratorCorpus.ParseAll();
        CheckOutputAndCaching();

        _compilation = GeneratorCorpus.Compile(_trees);
        _driver = NewDriver(track: false).RunGenerators(_compilation);
        _editedTree = _trees[GeneratorCorpus.EditedFile];
        var text = _editedTree.GetText().ToString();
        _bodyPosition = text.IndexOf("a + b + ", StringComparison.Ordinal) + "a + b + ".Length;
        _namePosition = text.IndexOf("Name = \"lookup", StringComparison.Ordinal) + "Name = \"lookup".Length - 1;
    }

    [Benchmark(Baseline = true, Description = "cold: new compilation, full generation")]
    public GeneratorDriver Cold() => NewDriver(track: false).RunGenerators(GeneratorCorpus.Compile(_trees));

    [Benchmark(Description = "edit one method body")]
    public GeneratorDriver EditBody() => Edit(_bodyPosition, _flip ? "0" : "1");

    [Benchmark(Description = "edit one [Tool] attribute (1 file regenerated)")]
    public GeneratorDriver EditAttribute() => Edit(_namePosition, _flip ? "p" : "q");

    [Benchmark(Description = "rerun, no edit")]
    public GeneratorDriver NoEdit() => _driver = _driver.RunGenerators(_compilation);

    private GeneratorDriver Edit(int position, string replacement)
    {
        _flip = !_flip;
        var tree = _editedTree;
        var edited = tree.WithChangedText(tree.GetText().WithChanges(new TextChange(new TextSpan(position, 1), replacement)));
        _compilation = _compilation.ReplaceSyntaxTree(tree, edited);
        _editedTree = edited;
        return _driver = _driver.RunGenerators(_compilation);
    }

    private static GeneratorDriver NewDriver(bool track) => CSharpGeneratorDriver.Create(
        generators: new[] { new InstrumentationGenerator().AsSourceGenerator() },
        parseOptions: GeneratorCorpus.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: track));

    /// <summary>Once, before measuring: the corpus compiles cleanly with the generated code (so every one of the 1,000
    /// methods got its wrapper), a body edit regenerates nothing, and an attribute edit regenerates one file.</summary>
    private void CheckOutputAndCaching()
    {
        var compilation = GeneratorCorpus.Compile(_trees);
        var driver = NewDriver(track: true).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var generated = driver.GetRunResult().GeneratedTrees.Length;
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Console.WriteLine($"// Generator: {_trees.Length} files, {GeneratorCorpus.Files * GeneratorCorpus.MethodsPerFile} annotated methods, {generated} generated files, {errors.Count} compile errors");
        if (errors.Count > 0 || generated < GeneratorCorpus.Files * GeneratorCorpus.MethodsPerFile)
        {
            throw new InvalidOperationException("The corpus does not compile with the generated code:\n" + string.Join("\n", errors.Take(10)));
        }

        var tree = _trees[GeneratorCorpus.EditedFile];
        var text = tree.GetText().ToString();
        foreach (var (what, from, to, expectedModified) in new[] { ("body edit", "a + b + 0", "a + b + 1", 0), ("attribute edit", "Name = \"lookup\"", "Name = \"lookuq\"", 1) })
        {
            var start = text.IndexOf(from, StringComparison.Ordinal);
            var edited = tree.WithChangedText(tree.GetText().WithChanges(new TextChange(new TextSpan(start, from.Length), to)));
            var next = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));
            var outputs = next.GetRunResult().Results[0].TrackedOutputSteps.SelectMany(step => step.Value)
                .SelectMany(run => run.Outputs).GroupBy(o => o.Reason).ToDictionary(g => g.Key, g => g.Count());
            Console.WriteLine($"// Generator {what}: outputs by reason: " + string.Join(", ", outputs.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));
            var modified = outputs.Where(p => p.Key is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New).Sum(p => p.Value);
            if (modified != expectedModified)
            {
                throw new InvalidOperationException($"{what}: {modified} outputs regenerated, expected {expectedModified}.");
            }
        }
    }
}
