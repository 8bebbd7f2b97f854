using System;
using System.Collections.Generic;
using System.Linq;
using Instrumentation.Generator.Tests.Analyzers;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// The generator never fails and never writes an error into generated code, whatever the user's code is in the middle
/// of: a copied declaration, a misspelt type, a broken method beside good ones. Each good method's wrapper is the same
/// as in a program holding only that method.
/// </summary>
public sealed class RobustnessTests
{
    private const string Good = """
        [Tool] public partial int Sub(int a);
        private int SubCore(int a) => -a;
        """;

    [Fact]
    public void A_partial_declaration_copied_twice_keeps_every_wrapper_and_only_the_compiler_reports_the_copy()
    {
        var run = Run("""
            [Tool] public partial int Add(int a);
            [Tool] public partial int Add(int a);
            private int AddCore(int a) => a;
            [Tool] public partial int Add(string a);
            private int AddCore(string a) => a.Length;
            """);

        // Without the rule, the two declarations share a file name and the generator fails (CS8785): no wrapper at all.
        Assert.Empty(AnalyzerHarness.Analyze(run.Input));
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id.StartsWith("CS", StringComparison.Ordinal));
        Assert.Equal(new[] { "Add", "Add", "Sub" }, WrappedMethods(run));

        // The compiler's own errors, on the copy (line 11 of the program) and nowhere else.
        var errors = Errors(run);
        Assert.Equal(new[] { "CS0111", "CS0756" }, errors.Select(d => d.Id).OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(errors, d => Assert.Equal("UserProgram.cs", d.Location.SourceTree?.FilePath));
        Assert.All(errors, d => Assert.Equal(11, d.Location.GetLineSpan().StartLinePosition.Line + 1));
        AssertWrapperUnaffected(run, "Sub");
    }

    [Fact]
    public void Two_methods_that_would_share_a_file_name_never_fail_the_generator()
    {
        // Namespace R.C and class R.C both hold a D.M (the compiler says CS0101): one file name for two methods.
        var source = AnalyzerHarness.Usings + """
            namespace R.C { public partial class D { [Tool] public partial int M(); private int MCore() => 1; } }
            namespace R { public partial class C { public partial class D { [Tool] public partial int M(); private int MCore() => 2; } } }
            namespace R { public partial class Other { [Tool] public partial int Sub(int a); private int SubCore(int a) => -a; } }
            """;

        var run = GeneratorHarness.Run(source);

        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id.StartsWith("CS", StringComparison.Ordinal));
        Assert.Null(run.Driver.GetRunResult().Results.Single().Exception);
        Assert.Equal(new[] { "R.C+D.M", "R.C.D.M", "R.Other.Sub" },
            run.GeneratedSources.Keys.Select(name => name.Substring(0, name.LastIndexOf('.', name.Length - ".g.cs".Length - 1))).OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(Errors(run), d => Assert.Equal("UserProgram.cs", d.Location.SourceTree?.FilePath));
    }

    [Theory]
    [InlineData("return type", "[Tool] public partial Strng Echo(string a);\nprivate Strng EchoCore(string a) => a;")]
    [InlineData("parameter", "[Tool] public partial int Echo(Strng a);\nprivate int EchoCore(Strng a) => 1;")]
    [InlineData("type argument", "[Tool] public partial int Echo(List<Strng> a);\nprivate int EchoCore(List<Strng> a) => a.Count;")]
    [InlineData("array of a task", "[Tool] public partial Task<Strng[]> Echo(int a);\nprivate Task<Strng[]> EchoCore(int a) => null!;")]
    [InlineData("constraint", "[Tool] public partial int Echo<T>(T a) where T : IStrng;\nprivate int EchoCore<T>(T a) where T : IStrng => 1;")]
    [InlineData("body method only", "[Tool] public partial int Echo(string a);\nprivate int EchoCore(Strng a) => 1;")]
    public void A_misspelt_type_gets_no_wrapper_no_diagnostic_of_ours_and_no_error_in_generated_code(string _, string member)
    {
        var run = Run(member);

        // The compiler's CS0246 is the one error to fix; ours would guess, and a wrapper would repeat it.
        Assert.Empty(AnalyzerHarness.Analyze(run.Input));
        Assert.Equal(new[] { "Sub" }, WrappedMethods(run));
        var errors = Errors(run);
        Assert.Contains(errors, d => d.Id == "CS0246");
        Assert.All(errors, d => Assert.Equal("UserProgram.cs", d.Location.SourceTree?.FilePath));
        AssertWrapperUnaffected(run, "Sub");
    }

    [Fact]
    public void A_problem_in_one_method_never_changes_another_methods_wrapper()
    {
        var run = Run("""
            [Tool] public partial int Missing(int a);
            [Tool] public partial int Differs(int a);
            private long DiffersCore(int a) => a;
            [Tool] public partial int ByRef(ref int a);
            private int ByRefCore(ref int a) => a;
            [Tool][LlmCall] public partial int Twice(int a);
            private int TwiceCore(int a) => a;
            [Tool] public partial int WithBody(int a) => a;
            [Tool] public partial Strng Misspelt(int a);
            [Tool] public partial int Copied(int a);
            [Tool] public partial int Copied(int a);
            private int CopiedCore(int a) => a;
            [Tool] public async partial void Fire();
            private async void FireCore() => await Task.Yield();
            """);

        Assert.Equal(new[] { "Copied", "Sub" }, WrappedMethods(run));
        Assert.All(Errors(run), d => Assert.Equal("UserProgram.cs", d.Location.SourceTree?.FilePath));
        AssertWrapperUnaffected(run, "Sub");
    }

    private static GeneratorRun Run(string members) =>
        GeneratorHarness.Run(Program(members + "\n" + Good));

    private static string Program(string members) =>
        AnalyzerHarness.Usings + "namespace R;\npublic partial class C\n{\n" + members + "\n}\n";

    /// <summary>The methods of <c>R.C</c> the generator wrote a wrapper for, by name.</summary>
    private static IEnumerable<string> WrappedMethods(GeneratorRun run) =>
        run.GeneratedSources.Keys.Where(k => k.StartsWith("R.C.", StringComparison.Ordinal)).Select(k => k.Split('.')[2]).OrderBy(n => n, StringComparer.Ordinal);

    private static List<Diagnostic> Errors(GeneratorRun run) =>
        run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>The method's wrapper is exactly the one a program holding only the good method gets, and compiles there.</summary>
    private static void AssertWrapperUnaffected(GeneratorRun run, string method)
    {
        var alone = GeneratorHarness.Run(Program(Good)).AssertCompilesCleanly();
        string Wrapper(GeneratorRun r) => r.GeneratedSources.Single(s => s.Key.StartsWith("R.C." + method + ".", StringComparison.Ordinal)).Value;
        Assert.Equal(Wrapper(alone), Wrapper(run));
    }
}
