using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// The generator is incremental: an edit that does not touch annotated methods leaves every tracked step Cached or
/// Unchanged, and no step's output holds a symbol, syntax node, semantic model or compilation (which would both pin
/// memory and defeat caching).
/// </summary>
public sealed class IncrementalityTests
{
    private const string Program = """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;
        using Meai = Microsoft.Extensions.AI;

        namespace Incremental;

        public partial class Agent
        {
            [AgentSpan] public partial Task<string> RunAsync(string question, CancellationToken ct = default);
            private Task<string> RunAsyncCore(string question, CancellationToken ct) => Task.FromResult(question);

            [LlmCall] public partial Task<Meai.ChatResponse> CompleteAsync(IList<Meai.ChatMessage> messages);
            private Task<Meai.ChatResponse> CompleteAsyncCore(IList<Meai.ChatMessage> messages) => Task.FromResult(new Meai.ChatResponse());

            [Tool] public partial int Add(int a, int b);
            private int AddCore(int a, int b) => a + b;

            private int Helper() => 1;
        }
        """;

    private static readonly string[] TrackedSteps =
    [
        TrackingNames.AgentMethods, TrackingNames.AgentModels,
        TrackingNames.LlmMethods, TrackingNames.LlmModels,
        TrackingNames.ToolMethods, TrackingNames.ToolModels,
        TrackingNames.SdkAdapters,
    ];

    [Theory]
    [InlineData("a body method changes", "private int AddCore(int a, int b) => a + b;", "private int AddCore(int a, int b) => b + a; // edited")]
    [InlineData("an unrelated member changes", "private int Helper() => 1;", "private int Helper() => 2;")]
    [InlineData("a comment is added", "namespace Incremental;", "namespace Incremental; // a comment")]
    public void An_edit_that_does_not_touch_annotated_methods_leaves_every_step_cached_or_unchanged(string _, string before, string after)
    {
        var first = GeneratorHarness.Run(Program).AssertCompilesCleanly();
        var tree = first.Input.SyntaxTrees.Single();
        var edited = first.Input.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(Program.IndexOf(before, StringComparison.Ordinal), before.Length, after)));

        var second = first.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in TrackedSteps)
        {
            var outputs = second.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"Step {step} ran again with reason {output.Reason} after an edit outside annotated methods."));
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"A source output was regenerated: {output.Reason}"));
    }

    [Fact]
    public void An_edit_in_another_file_resolves_the_known_types_again_but_reruns_no_emitter()
    {
        // The known types are looked up once per compilation: that step runs again after any edit. The inspection
        // that follows it turns each method into values equal to the last run's, so nothing after it runs again.
        const string other = "namespace Incremental; internal static class Unrelated { public static int Value => 1; }";
        var first = GeneratorHarness.Run(new[] { ("UserProgram.cs", Program), ("Unrelated.cs", other) }).AssertCompilesCleanly();
        var tree = first.Input.SyntaxTrees.Single(t => t.FilePath == "Unrelated.cs");
        var edited = first.Input.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(other.Replace("=> 1", "=> 2", StringComparison.Ordinal))));

        var second = first.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, second.TrackedSteps[TrackingNames.KnownTypes].Single().Outputs.Single().Reason);
        foreach (var step in new[] { TrackingNames.AgentMethods, TrackingNames.LlmMethods, TrackingNames.ToolMethods })
        {
            var outputs = second.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.Equal(IncrementalStepRunReason.Unchanged, Assert.Single(outputs).Reason);
        }

        foreach (var step in new[] { TrackingNames.AgentModels, TrackingNames.LlmModels, TrackingNames.ToolModels, TrackingNames.SdkAdapters })
        {
            Assert.All(second.TrackedSteps[step].SelectMany(s => s.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        }

        var sourceOutputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_an_annotated_method_regenerates_only_that_method()
    {
        var first = GeneratorHarness.Run(Program).AssertCompilesCleanly();
        var tree = first.Input.SyntaxTrees.Single();
        const string before = "[Tool] public partial int Add(int a, int b);";
        var edited = first.Input.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(
            Program.IndexOf(before, StringComparison.Ordinal), before.Length, "[Tool(Description = \"Adds.\")] public partial int Add(int a, int b);")));

        var second = first.Driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, second.TrackedSteps[TrackingNames.ToolModels].SelectMany(s => s.Outputs).Single().Reason);
        Assert.All(second.TrackedSteps[TrackingNames.AgentModels].SelectMany(s => s.Outputs), o => Assert.NotEqual(IncrementalStepRunReason.Modified, o.Reason));
        Assert.Contains("description: \"Adds.\"", second.GeneratedSources.Single(s => s.HintName.Contains(".Add.", StringComparison.Ordinal)).SourceText.ToString());
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_semantic_model_or_compilation()
    {
        var run = GeneratorHarness.Run(Program).AssertCompilesCleanly();
        var result = run.Driver.GetRunResult().Results.Single();

        var checkedValues = 0;
        foreach (var step in TrackedSteps)
        {
            foreach (var (value, _) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertHoldsNoCompilationObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                checkedValues++;
            }
        }

        Assert.True(checkedValues >= TrackedSteps.Length, "Every tracked step produced at least one output to check.");
    }

    [Fact]
    public void A_method_with_an_error_stays_cached_and_its_diagnostic_is_values_only()
    {
        // A body method missing: the generator reports AIT004. An edit below it leaves its position, and so its cached
        // diagnostic, unchanged.
        var program = Program.Replace("private int Helper() => 1;", "[Tool] public partial int Broken(int a);\n    private int Helper() => 1;", StringComparison.Ordinal);
        var first = GeneratorHarness.Run(program);
        Assert.Equal("AIT004", Assert.Single(first.GeneratorDiagnostics).Id);
        var result = first.Driver.GetRunResult().Results.Single();
        foreach (var (value, _) in result.TrackedSteps[TrackingNames.ToolMethods].SelectMany(s => s.Outputs))
        {
            AssertHoldsNoCompilationObjects(value, TrackingNames.ToolMethods, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }

        var tree = first.Input.SyntaxTrees.Single();
        const string before = "private int Helper() => 1;";
        var edited = first.Input.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(program.IndexOf(before, StringComparison.Ordinal), before.Length, "private int Helper() => 2;")));
        var driver = first.Driver.RunGeneratorsAndUpdateCompilation(edited, out _, out var diagnostics);

        Assert.Equal("AIT004", Assert.Single(diagnostics).Id);
        Assert.All(driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.ToolMethods].SelectMany(s => s.Outputs), output =>
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"ToolMethods ran again: {output.Reason}"));
    }

    private static void AssertHoldsNoCompilationObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Compilation or Location,
            $"{path} holds a {value.GetType().FullName}, which ties the pipeline to one compilation.");

        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                AssertHoldsNoCompilationObjects(item, $"{path}[{index++}]", seen);
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertHoldsNoCompilationObjects(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
