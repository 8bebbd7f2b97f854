using System;
using System.Linq;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Instrumentation.Generator.Tests.Analyzers.Expected;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>
/// Every diagnostic: a program that triggers it and one that must not, reported as the IDE shows it: the analyzer
/// through CompilationWithAnalyzers, the generator through its driver.
/// Each case asserts the ID, the severity, the exact location (the <c>[|...|]</c> markup, as lines and columns) and the
/// message arguments. <c>docs/diagnostics.md</c> names these tests.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;
    private const DiagnosticSeverity Info = DiagnosticSeverity.Info;

    // ---- AIT001: not partial --------------------------------------------------------------------------------------

    [Fact]
    public void AIT001_is_reported_once_for_an_ordinary_method_in_an_ordinary_class()
    {
        // One warning and nothing else: not AIT003 for the class, not AIT004 for the missing body method, since the
        // code fix writes both.
        AnalyzerHarness.Verify("""
            namespace App;
            public class Calculator
            {
                [Tool]
                public int [|Add|](int a, int b) => a + b;
            }
            """,
            Diagnostic("AIT001", Warning, 0, "Add", "Tool", "AddCore"));
    }

    [Fact]
    public void AIT001_names_the_Implementation_body_method_when_the_attribute_sets_one()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Agent
            {
                [AgentSpan(Implementation = "Work")]
                public async Task<string> [|RunAsync|](string question) { await Task.Yield(); return question; }
            }
            """,
            Diagnostic("AIT001", Warning, 0, "RunAsync", "AgentSpan", "Work"));
    }

    [Fact]
    public void AIT001_is_not_reported_for_a_partial_declaration_with_its_body_method()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);
                private int AddCore(int a, int b) => a + b;
            }
            """);
    }

    // ---- AIT002: partial with a body ------------------------------------------------------------------------------

    [Fact]
    public void AIT002_is_reported_for_a_partial_method_with_a_body()
    {
        // Only AIT002: the missing AddCore is what its fix creates.
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Calculator
            {
                [Tool] public partial int [|Add|](int a, int b) { return a + b; }
            }
            """,
            Diagnostic("AIT002", Error, 0, "Add", "Tool", "AddCore"));
    }

    [Fact]
    public void AIT002_is_reported_on_an_implementing_declaration_the_user_wrote()
    {
        var diagnostics = AnalyzerHarness.Verify("""
            namespace App;
            public partial class Calculator
            {
                [Tool] public partial int [|Add|](int a, int b);
                public partial int [|Add|](int a, int b) => a + b;
            }
            """,
            Diagnostic("AIT002", Error, 1, "Add", "Tool", "AddCore"));

        // The declaration is the additional location.
        diagnostics.AssertAdditionalLocations(0, 0);
    }

    [Fact]
    public void AIT002_is_not_reported_for_the_implementation_the_generator_wrote()
    {
        // The IDE and the build analyze the compilation with the generated sources in it: the generated implementing
        // declaration is not the user's body.
        var run = GeneratorHarness.Run(AnalyzerHarness.Usings + """
            namespace App;
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);
                private int AddCore(int a, int b) => a + b;
            }
            """).AssertCompilesCleanly();

        Assert.Single(run.GeneratedSources);
        Assert.Empty(AnalyzerHarness.Analyze(run.Output));
    }

    // ---- AIT003: containing type not partial ----------------------------------------------------------------------

    [Fact]
    public void AIT003_is_reported_for_every_enclosing_type_that_is_not_partial()
    {
        var diagnostics = AnalyzerHarness.Verify("""
            namespace App;
            public class [|Outer|]
            {
                public partial class Middle
                {
                    internal class [|Inner|]
                    {
                        [Tool] public partial int [|Add|](int a);
                        private int AddCore(int a) => a;
                    }
                }
            }
            """,
            Diagnostic("AIT003", Error, 2, "Inner", "Tool", "Add"),
            Diagnostic("AIT003", Error, 2, "Outer", "Tool", "Add"));

        // Each points at its type's declaration as the additional location, for the code fix.
        diagnostics.AssertAdditionalLocations(0, 1);
        diagnostics.AssertAdditionalLocations(1, 0);
    }

    [Fact]
    public void AIT003_is_not_reported_when_every_enclosing_type_is_partial()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Outer
            {
                internal partial record struct Inner
                {
                    [Tool] public partial int Add(int a);
                    private int AddCore(int a) => a;
                }
            }
            """);
    }

    // ---- AIT004: body method missing ------------------------------------------------------------------------------

    [Fact]
    public void AIT004_is_reported_when_the_body_method_does_not_exist()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Calculator
            {
                [Tool] public partial int [|Add|](int a, int b);
                private int AddCroe(int a, int b) => a + b;
            }
            """,
            Diagnostic("AIT004", Error, 0, "Add", "AddCore", "Calculator"));
    }

    [Fact]
    public void AIT004_looks_for_the_Implementation_name_when_the_attribute_sets_one()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Calculator
            {
                [Tool(Implementation = "Sum")] public partial int [|Add|](int a, int b);
                private int AddCore(int a, int b) => a + b;
            }
            """,
            Diagnostic("AIT004", Error, 0, "Add", "Sum", "Calculator"));
    }

    [Fact]
    public void AIT004_is_not_reported_for_a_body_method_named_by_Implementation()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public static partial class Tools
            {
                [Tool(Implementation = nameof(Lookup))] public static partial string Search(string query, int limit = 10);
                private static string Lookup(string query, int limit) => query;
            }
            """);
    }

    // ---- AIT005: body method differs ------------------------------------------------------------------------------

    [Theory]
    [InlineData("[Tool] public partial int [|Add|](int a); private long AddCore(int a) => a;",
        "Add", "AddCore", "it returns 'long', the traced method returns 'int'")]
    [InlineData("[Tool] public partial int [|Add|](int a); private int AddCore(long a) => 0;",
        "Add", "AddCore", "parameter 1 is 'long', the traced method's 'a' is 'int'")]
    [InlineData("[Tool] public partial int [|Add|](int a); private int AddCore(int a, int b) => a;",
        "Add", "AddCore", "it takes 2 parameter(s), the traced method takes 1")]
    [InlineData("[Tool] public partial int [|Add|](int a); private int AddCore(ref int a) => a;",
        "Add", "AddCore", "parameter 1 is passed by 'ref', the traced method's 'a' is passed by value")]
    [InlineData("[Tool] public partial int [|Add|](int a); private static int AddCore(int a) => a;",
        "Add", "AddCore", "it is static, the traced method is not")]
    [InlineData("[Tool] public static partial int [|Add|](int a); private int AddCore(int a) => a;",
        "Add", "AddCore", "it is an instance method, the traced method is static")]
    [InlineData("[Tool] public partial T [|Echo|]<T>(T a); private T EchoCore<T, U>(T a) => a;",
        "Echo", "EchoCore", "it has 2 type parameter(s), the traced method has 1")]
    [InlineData("[Tool] public partial T [|Echo|]<T>(T a) where T : class; private T EchoCore<T>(T a) where T : struct => a;",
        "Echo", "EchoCore", "'EchoCore' declares 'where T : struct', 'Echo' declares 'where T : class': write 'where T : class' on 'EchoCore'")]
    [InlineData("[Tool] public partial void [|Keep|]<T>(T a) where T : class?; private void KeepCore<T>(T a) where T : class { }",
        "Keep", "KeepCore", "'KeepCore' declares 'where T : class', 'Keep' declares 'where T : class?': write 'where T : class?' on 'KeepCore'")]
    [InlineData("[Tool] public partial void [|Sort|]<T>(T a) where T : IComparable<T>, new(); private void SortCore<U>(U a) { }",
        "Sort", "SortCore", "'SortCore' declares no constraint on 'U', 'Sort' declares 'where T : IComparable<T>, new()': write 'where U : IComparable<U>, new()' on 'SortCore'")]
    [InlineData("[Tool] public partial void [|Loose|]<T>(T a); private void LooseCore<T>(T a) where T : notnull { }",
        "Loose", "LooseCore", "'LooseCore' declares 'where T : notnull', 'Loose' declares none on 'T': remove the constraint from 'LooseCore'")]
    [InlineData("[Tool] public readonly partial int [|Peek|](); private int PeekCore() => 1;",
        "Peek", "PeekCore", "it is not 'readonly', the traced method is: a readonly method can only call it on a copy of the struct")]
    [InlineData("[Tool] public partial string [|Get|](); private string? GetCore() => null;",
        "Get", "GetCore", "it returns 'string?', the traced method returns 'string'")]
    [InlineData("[Tool] public partial Task<string> [|Get|](); private Task<string?> GetCore() => Task.FromResult<string?>(null);",
        "Get", "GetCore", "it returns 'Task<string?>', the traced method returns 'Task<string>'")]
    [InlineData("[Tool] public partial void [|Set|](string? value); private void SetCore(string value) { }",
        "Set", "SetCore", "parameter 1 is 'string', the traced method's 'value' is 'string?'")]
    [InlineData("[Tool] public partial ReadOnlySpan<char> [|Trim|](scoped ReadOnlySpan<char> text); private ReadOnlySpan<char> TrimCore(ReadOnlySpan<char> text) => default;",
        "Trim", "TrimCore", "parameter 1 is not 'scoped' like the traced method's 'text', so the ref struct the body returns could expose it")]
    public void AIT005_is_reported_when_the_body_method_differs(string members, string method, string body, string difference)
    {
        AnalyzerHarness.Verify("namespace App; public partial struct C { " + members + " }",
            Diagnostic("AIT005", Error, 0, body, method, difference));
    }

    [Fact]
    public void AIT005_points_at_the_body_method_as_the_additional_location()
    {
        var diagnostics = AnalyzerHarness.Verify("""
            namespace App;
            public partial class C
            {
                [Tool] public partial int [|Add|](int a);
                private long [|AddCore|](int a) => a;
            }
            """,
            Diagnostic("AIT005", Error, 0, "AddCore", "Add", "it returns 'long', the traced method returns 'int'"));

        diagnostics.AssertAdditionalLocations(0, 1);
    }

    [Theory]
    [InlineData("[Tool] public partial int Add(int a); private int AddCore(int differentName) => differentName;")]
    [InlineData("[Tool] public partial int Add(in int a); private int AddCore(int a) => a;")]
    [InlineData("[Tool] public partial void Move((int X, int Y) to); private void MoveCore((int Left, int Top) to) { }")]
    [InlineData("[Tool] public partial string? Get(); private string GetCore() => \"\";")]
    [InlineData("[Tool] public partial void Set(string value); private void SetCore(string? value) { }")]
    [InlineData("[Tool] public partial int Compare<T>(T a) where T : IComparable<T>; private int CompareCore<U>(U a) where U : IComparable<U> => 0;")]
    [InlineData("[Tool] public partial Task<int> Get(); private Task<int> GetCore() => Task.FromResult(1); private Task<int> GetCore(int other) => Task.FromResult(other);")]
    public void AIT005_is_not_reported_for_differences_a_call_does_not_see(string members)
    {
        AnalyzerHarness.Verify("namespace App; public partial class C { " + members + " }");
    }

    // ---- AIT006: signature cannot be traced -----------------------------------------------------------------------

    [Theory]
    [InlineData("[Tool] public partial ref int [|Slot|](); private ref int SlotCore() => throw null!;",
        "it returns by reference, and a wrapper cannot hold a reference across recording the output: return the value instead")]
    [InlineData("[Tool] public partial int Read(int* [|p|]); private int ReadCore(int* p) => *p;",
        "parameter 'p' is a pointer, which the wrapper's generic recording code cannot take: pass an 'nint' or a Span<T> instead")]
    [InlineData("[Tool] public partial int* [|Alloc|](); private int* AllocCore() => null;",
        "it returns a pointer, which cannot be recorded or carried through the wrapper's generic code: return an 'nint' or a struct instead")]
    [InlineData("[Tool] public partial int [|Sum|](__arglist); private int SumCore(__arglist) => 0;",
        "it takes __arglist, which a wrapper cannot pass on: take a 'params' array instead")]
    [InlineData("[Tool] public partial int Count(ref int [|a|]); private int CountCore(ref int a) => a;",
        "parameter 'a' is passed by 'ref', which the wrapper does not pass on: pass it by value or 'in' and return what changes")]
    [InlineData("[Tool] public partial bool Try(out int [|value|]); private bool TryCore(out int value) { value = 0; return true; }",
        "parameter 'value' is an 'out' parameter, which the wrapper does not pass on: return the value (a tuple or a record) instead")]
    [InlineData("[Tool] public partial int Peek(ref readonly int [|value|]); private int PeekCore(ref readonly int value) => value;",
        "parameter 'value' is passed by 'ref readonly': use 'in'")]
    [InlineData("[Tool] public partial IAsyncEnumerable<char> Chars(ReadOnlySpan<char> [|text|]); private IAsyncEnumerable<char> CharsCore(ReadOnlySpan<char> text) => null!;",
        "parameter 'text' is a ref struct, which the wrapper of a stream (an async iterator) cannot hold: pass a Memory<T>, an array or a string instead")]
    [InlineData("[Tool] public partial System.Runtime.CompilerServices.YieldAwaitable [|Pause|](); private System.Runtime.CompilerServices.YieldAwaitable PauseCore() => Task.Yield();",
        "it returns the awaitable 'YieldAwaitable', and the span would end before the operation completes: return Task, Task<T>, ValueTask or ValueTask<T>")]
    [InlineData("[Tool] partial int [|Add|](int a); private int AddCore(int a) => a;",
        "C# requires an accessibility modifier on a partial method that returns a value or is virtual, override, sealed or new: declare it 'private' (or 'public', 'internal', 'protected')")]
    [InlineData("[Tool] public async partial Task [|RunAsync|](); private async Task RunAsyncCore() => await Task.Yield();",
        "a partial declaration cannot be 'async': remove 'async' here and keep it on the body method 'RunAsyncCore'")]
    public void AIT006_is_reported_for_a_signature_the_wrapper_cannot_reproduce(string members, string reason)
    {
        var method = members.Split('(')[0].Split(' ').Last().Replace("[|", string.Empty).Replace("|]", string.Empty);
        AnalyzerHarness.Verify("namespace App; public unsafe partial class C { " + members + " }",
            Diagnostic("AIT006", Error, 0, method, reason));
    }

    [Fact]
    public void AIT006_is_reported_for_a_method_of_a_file_local_type()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            file partial class Helper
            {
                [Tool] public partial int [|Add|](int a);
                private int AddCore(int a) => a;
            }
            """,
            Diagnostic("AIT006", Error, 0, "Add", "type 'Helper' is file-local, and the generated half of the method is in another file: remove the 'file' modifier (make it 'internal')"));
    }

    [Fact]
    public void AIT006_is_reported_instead_of_AIT001_for_an_ordinary_method_the_fix_could_not_make_traceable()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public class Counter
            {
                [Tool] public int Increment(ref int [|value|]) => ++value;
            }
            """,
            Diagnostic("AIT006", Error, 0, "Increment", "parameter 'value' is passed by 'ref', which the wrapper does not pass on: pass it by value or 'in' and return what changes"));
    }

    [Theory]
    [MemberData(nameof(SnapshotShapeNames))]
    public void AIT006_is_not_reported_for_any_supported_shape(string shape)
    {
        var diagnostics = AnalyzerHarness.Analyze(GeneratorHarness.CreateCompilation(AnalyzerHarness.Usings + SnapshotTests.Shapes[shape], new CSharpParseOptions()));

        // Notes on what the span records at most (AIT008, AIT009), none of which stops generation.
        Assert.All(diagnostics, d => Assert.Equal(Instrumentation.Generator.Diagnostics.DiagnosticDescriptors.RecordingCategory, d.Descriptor.Category));
    }

    public static TheoryData<string> SnapshotShapeNames => SnapshotTests.ShapeNames;

    // ---- AIT007: two instrumentation attributes -------------------------------------------------------------------

    [Fact]
    public void AIT007_is_reported_on_each_extra_attribute()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class C
            {
                [Tool, [|LlmCall(Model = "m")|]]
                [[|AgentSpan|]]
                public partial string Ask(string prompt);
                private string AskCore(string prompt) => prompt;
            }
            """,
            Diagnostic("AIT007", Error, 0, "Ask", "Tool", "LlmCall"),
            Diagnostic("AIT007", Error, 1, "Ask", "Tool", "AgentSpan"));
    }

    [Fact]
    public void AIT007_is_reported_instead_of_AIT001_on_an_ordinary_method()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public class C
            {
                [LlmCall][[|Tool|]] public string Ask(string prompt) => prompt;
            }
            """,
            Diagnostic("AIT007", Error, 0, "Ask", "LlmCall", "Tool"));
    }

    [Fact]
    public void AIT007_is_not_reported_for_one_attribute_among_others()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class C
            {
                [Tool, Obsolete("use Ask2")] public partial string Ask(string prompt);
                private string AskCore(string prompt) => prompt;
            }
            """);
    }

    // ---- AIT008: value recorded as a placeholder ------------------------------------------------------------------

    [Fact]
    public void AIT008_is_reported_for_streams_delegates_spans_and_such_results()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Files
            {
                [Tool] public partial [|Stream|] Open(Stream [|source|], Func<int, bool> [|filter|], ReadOnlySpan<byte> [|header|], string name);
                private Stream OpenCore(Stream source, Func<int, bool> filter, ReadOnlySpan<byte> header, string name) => source;
            }
            """,
            Diagnostic("AIT008", Info, 0, "The result of 'Open'", "Stream", ""),
            Diagnostic("AIT008", Info, 1, "Parameter 'source'", "Stream", "; mark it [NotTraced] to leave it out of the inputs"),
            Diagnostic("AIT008", Info, 2, "Parameter 'filter'", "Func<int, bool>", "; mark it [NotTraced] to leave it out of the inputs"),
            Diagnostic("AIT008", Info, 3, "Parameter 'header'", "ReadOnlySpan<byte>", "; mark it [NotTraced] to leave it out of the inputs"));
    }

    [Fact]
    public void AIT008_is_not_reported_for_NotTraced_parameters_cancellation_tokens_or_serializable_values()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Files
            {
                [Tool] public partial Task<string> ReadAsync([NotTraced] Stream source, string name, int[] sizes, CancellationToken ct);
                private Task<string> ReadAsyncCore(Stream source, string name, int[] sizes, CancellationToken ct) => Task.FromResult(name);
            }
            """);
    }
}
