using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// The AIT001 fix over a corpus of ordinary methods: every one offers exactly one fix, and its result has no
/// diagnostic of ours, compiles with the generator without a warning, and is wrapped (one generated file per method).
/// </summary>
public sealed class MakeMethodTracedCorpusTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;

        """;

    public static TheoryData<string> Corpus => new()
    {
        "namespace N; public class C { [Tool] public void Log(string line) { Console.WriteLine(line); } }",
        "namespace N; public class C { [Tool] public async Task Fire(string line) { await Task.Yield(); } }",
        "namespace N; public class C { [Tool] public ValueTask<int> CountAsync() => new(1); }",
        "namespace N; public class C { [Tool] public async ValueTask FlushAsync() { await Task.Yield(); } }",
        "namespace N; public class C { [Tool] public IEnumerable<int> Numbers() { yield return 1; yield return 2; } }",
        "namespace N; public class C { [Tool] public int Sum(params int[] values) { var total = 0; foreach (var v in values) total += v; return total; } }",
        "namespace N; public class C { [Tool] public long Sum(in long seed, int step = 1) => seed + step; }",
        "namespace N; public class C { [Tool] public int Length(ReadOnlySpan<char> text) => text.Length; }",
        "namespace N; public class C { [Tool] public string? Find(string? key, IReadOnlyDictionary<string, string>? map = null) => key is null ? null : map?.GetValueOrDefault(key); }",
        "namespace N; public class C { [Tool] public (int Count, string Text) Pair(int count) => (count, count.ToString()); }",
        "namespace N; public class C { [Tool] public T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b; }",
        "namespace N; public class C { [Tool] public Task<TOut> Map<TIn, TOut>(TIn value, Func<TIn, TOut> map) where TIn : notnull where TOut : class => Task.FromResult(map(value)); }",
        "namespace N; public class C { [Tool] public override string ToString() => \"C\"; }",
        "namespace N; public class B { public virtual int Get() => 0; } public class C : B { [Tool] public override int Get() => 1; }",
        "namespace N; public class B { public int Get() => 0; } public class C : B { [Tool] public new int Get() => 1; }",
        "namespace N; public class C { [Tool] public virtual int Get() => 1; }",
        "namespace N; public sealed class C : IDisposable { [Tool] public void Dispose() { } }",
        "namespace N; public static class Extensions { [Tool] public static int Words(this string text) => text.Split(' ').Length; }",
        "namespace N; public struct S { public int X { get; set; } [Tool] public readonly int Twice() => X * 2; }",
        "namespace N; public readonly struct S { [Tool] public int One() => 1; }",
        "namespace N; public ref struct S { [Tool] public static int One() => 1; }",
        "namespace N; public record R(int X) { [Tool] public int Twice() => X * 2; }",
        "namespace N; public record struct R(int X) { [Tool] public int Twice() => X * 2; }",
        "namespace N; public class Outer<T> { public class Inner { [Tool] public T Echo(T value) => value; } }",
        "namespace N; public unsafe class C { [Tool] public int Size() => sizeof(int); }",
        "namespace N; public class C { [Tool] internal protected int Get() => 1; }",
        "namespace N; public class C { [Tool] static int Get() => 1; public int Call() => Get(); }",
        "namespace N; public class C { [LlmCall(Model = \"m\")] public Task<string> CompleteAsync(string prompt, CancellationToken ct = default) => Task.FromResult(prompt); }",
        "namespace N; public class C { [AgentSpan(AgentName = \"a\")] public async Task<string> RunAsync(string q) { await Task.Yield(); return Local(q); string Local(string s) => s + \"!\"; } }",
        "namespace N; public class C { [Tool] public async IAsyncEnumerable<int> StreamAsync([EnumeratorCancellation] CancellationToken ct = default) { await Task.Yield(); yield return 1; } }",
        "namespace N; public class C { [Tool] [Obsolete(\"old\")] public int Old() => 1; }",
        "namespace N; public class C\n{\n    /// <summary>Docs.</summary>\n    [Tool]\n    // a comment\n    public int Commented( int a ,  int b )  // trailing\n    {\n        return a + b; // inside\n    }\n}",
        "namespace N { public class C { [Tool] public int Block() => 1; } }",
        "public class Global { [Tool] public int One() => 1; }",
        "namespace N; public class C { [Tool] public int Get(int id) => id; [Tool] public int Get(string name) => name.Length; private int GetCore(long other) => 0; }",
        "namespace N; public class C { [Tool] public int Add(int a) => AddCore(a); private int AddCore(int a) => a; public int AddCore2 => 0; }",
        "namespace N; public class C { [Tool] public int @class(int @event) => @event; }",
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Every_ordinary_method_is_fixed_into_one_that_compiles_cleanly_and_is_wrapped(string source)
    {
        var project = CodeFixHarness.CreateProject(("Program.cs", Usings + source));
        var provider = new MakeMethodTracedCodeFixProvider();
        var diagnostics = await CodeFixHarness.AnalyzeAsync(project);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal("AIT001", d.Id));
        foreach (var diagnostic in diagnostics)
        {
            Assert.Single(await CodeFixHarness.ActionsAsync(project, provider, diagnostic));
        }

        var fixedSolution = await CodeFixHarness.ApplyFixAllAsync(project, provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey, Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Project);

        // Notes on what the span records may remain (a span parameter recorded as a placeholder, an LLM call without
        // token usage); nothing else.
        var remaining = await CodeFixHarness.AnalyzeAsync(fixedSolution.GetProject(project.Id)!);
        Assert.All(remaining, d => Assert.Equal(Instrumentation.Generator.Diagnostics.DiagnosticDescriptors.RecordingCategory, d.Descriptor.Category));
        var texts = await CodeFixHarness.TextsAsync(fixedSolution, project.Id);
        var run = Instrumentation.Generator.Tests.Infrastructure.GeneratorHarness.Run(texts.Select(t => (t.Key, t.Value))).AssertCompilesCleanly();
        Assert.Equal(diagnostics.Length, run.GeneratedSources.Count);
    }
}
