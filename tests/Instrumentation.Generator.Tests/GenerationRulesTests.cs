using System.Linq;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Instrumentation.Generator.Tests;

/// <summary>What the generator emits, and refuses to emit, around the edges of the supported shapes.</summary>
public sealed class GenerationRulesTests
{
    [Fact]
    public void Every_snapshot_shape_also_compiles_under_CSharp_9()
    {
        // C# 9 is the oldest language version with the partial methods the wrappers implement; generated code must not
        // need anything newer, since users on older target frameworks get older defaults.
        var source = string.Join("\n", SnapshotTests.Shapes
            .Where(shape => shape.Key is not "NestedGenericTypes" and not "GlobalNamespaceParamsAndIn")
            .Select(shape => shape.Value.Replace("namespace Shapes;", "namespace Case" + shape.Key + " {") + "\n}"));
        source = """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using Instrumentation;

            """ + source;

        var run = GeneratorHarness.Run(source, LanguageVersion.CSharp9).AssertCompilesCleanly();

        Assert.Equal(SnapshotTests.Shapes.Count - 2, run.GeneratedSources.Count);
    }

    [Theory]
    [InlineData("ordinary method", "[Tool] public int Add(int a, int b) => a + b;")]
    [InlineData("body method missing", "[Tool] public partial int Add(int a, int b);")]
    [InlineData("body method differs", "[Tool] public partial int Add(int a, int b); private long AddCore(int a, int b) => a + b;")]
    [InlineData("ref parameter", "[Tool] public partial int Add(ref int a); private int AddCore(ref int a) => a;")]
    [InlineData("two attributes", "[Tool][LlmCall] public partial int Add(int a); private int AddCore(int a) => a;")]
    [InlineData("custom awaitable", "[Tool] public partial System.Runtime.CompilerServices.YieldAwaitable Pause(); private System.Runtime.CompilerServices.YieldAwaitable PauseCore() => Task.Yield();")]
    public void A_rejected_declaration_gets_no_generated_source_and_no_error_in_a_generated_file(string _, string member)
    {
        var source = "using System.Threading.Tasks; using Instrumentation; namespace Rules; public partial class C { " + member + " }";

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratedSources);
        Assert.All(run.GeneratorDiagnostics, d => Assert.StartsWith("AIT", d.Id, System.StringComparison.Ordinal));
        Assert.All(run.Output.GetDiagnostics(), d => Assert.Equal("UserProgram.cs", d.Location.SourceTree?.FilePath));
    }

    [Fact]
    public void Without_the_runtime_referenced_nothing_is_generated()
    {
        const string source = "using Instrumentation; namespace Rules; public partial class C { [Tool] public partial int Add(int a); private int AddCore(int a) => a; }";

        var run = GeneratorHarness.Run(source, withRuntime: false);

        Assert.Empty(run.GeneratedSources);
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS8795");
    }

    [Fact]
    public void A_type_that_is_not_partial_stops_generation_for_its_methods()
    {
        const string source = "using Instrumentation; namespace Rules; public class C { [Tool] public partial int Add(int a); private int AddCore(int a) => a; }";

        var run = GeneratorHarness.Run(source);

        Assert.Empty(run.GeneratedSources);
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath != "UserProgram.cs");
    }
}
