using System.Linq;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>
/// The contract between the analyzer and the generator, over a corpus of declarations at the edges of what can be
/// traced: a declaration our analyzer accepts (infos at most) is generated and compiles with no warning at all; one it
/// rejects (a warning or an error of ours) gets no generated source; and no compiler diagnostic ever points into a
/// generated file.
/// </summary>
public sealed class NoCascadeTests
{
    /// <summary>Declarations and the IDs of the warnings and errors of ours each must get (empty: it must be traced).</summary>
    public static TheoryData<string, string> Corpus => new()
    {
        // Traced.
        { "public partial class C { [Tool] public partial int M(int a); private int MCore(int b) => b; }", "" },
        { "public partial class C { [Tool] partial void Log(string a); private void LogCore(string a) { } }", "" },
        { "public partial class C { [Tool] internal protected partial int M(); private int MCore() => 1; }", "" },
        { "public partial class C { [Tool] public virtual partial int V(int a); private int VCore(int a) => a; }", "" },
        { "public partial class B { public virtual int V(int a) => a; } public partial class C : B { [Tool] public override partial int V(int a); private int VCore(int a) => a; }", "" },
        { "public partial class C { [Tool] public sealed override partial string ToString(); private string ToStringCore() => \"\"; }", "" },
        { "public partial class C { [Tool] public new partial string ToString(); private string ToStringCore() => \"\"; }", "" },
        { "public static partial class E { [Tool] public static partial int Ext(this string s); private static int ExtCore(string s) => 1; }", "" },
        { "public static partial class E { [Tool] public static partial int M(this scoped in int x); private static int MCore(scoped in int x) => x; }", "" },
        { "public ref partial struct S { [Tool] public partial Task<int> T1(Span<int> x); private Task<int> T1Core(Span<int> x) => Task.FromResult(1); }", "" },
        { "public readonly partial struct R { [Tool] public partial int M(); private int MCore() => 1; }", "" },
        { "public partial struct R { [Tool] public readonly partial int M(); private readonly int MCore() => 1; }", "" },
        { "public partial struct S { [Tool] public partial IAsyncEnumerable<int> S1(); private IAsyncEnumerable<int> S1Core() => null!; }", "" },
        { "public partial record R(int X) { [Tool] public partial int M(); private int MCore() => X; }", "" },
        { "public partial record struct R(int X) { [Tool] public partial int M(); private int MCore() => X; }", "" },
        { "public partial class C<T> where T : class { [Tool] public partial T Add(T a); private T AddCore(T a) => a; }", "" },
        { "public partial class Outer<T> { public partial class C { [Tool] public partial Task<T> M<U>(U a) where U : T; private Task<T> MCore<U>(U a) where U : T => null!; } }", "" },
        { "public partial class C { [Tool] public partial int M<T>(T a) where T : IComparable<T>; private int MCore<U>(U a) where U : IComparable<U> => 1; }", "" },
        { "public partial class C { [Tool] public partial void M<T>(T a) where T : unmanaged; private void MCore<T>(T a) where T : unmanaged { } }", "" },
        { "public partial class C { [Tool] public partial void M<T>(T? a) where T : class; private void MCore<T>(T? a) where T : class { } }", "" },
        { "public partial class C { [Tool] public partial void M<T>(T? a); private void MCore<T>(T? a) { } }", "" },
        { "public partial class C { [Tool] public partial T Echo<T>(T a) where T : allows ref struct; private T EchoCore<T>(T a) where T : allows ref struct => a; }", "" },
        { "public partial class C { [Tool] public partial Task<T> M<T>() where T : struct; private Task<T> MCore<T>() where T : struct => Task.FromResult(default(T)); }", "" },
        { "public partial class C { [Tool] public partial IAsyncEnumerable<T> M<T>(T a); private IAsyncEnumerable<T> MCore<T>(T a) => null!; }", "" },
        { "public partial class C { [Tool] public partial int? M(int? a = null); private int? MCore(int? a) => a; }", "" },
        { "public partial class C { [Tool] public partial object? M(object? a); private object? MCore(object? a) => a; }", "" },
        { "public partial class C { [Tool] public partial string? M(); private string MCore() => \"\"; }", "" },
        { "public partial class C { [Tool] public partial void M(string a); private void MCore(string? a) { } }", "" },
        { "public partial class C { [Tool] public partial int M(int a = 1, string b = \"x\", CancellationToken ct = default); private int MCore(int a, string b, CancellationToken ct) => 1; }", "" },
        { "public partial class C { [Tool] public partial int M(params int[] a); private int MCore(params int[] a) => 1; }", "" },
        { "public partial class C { [Tool] public partial int M(params IEnumerable<int> a); private int MCore(IEnumerable<int> a) => 1; }", "" },
        { "public partial class C { [Tool] public partial int M(params ReadOnlySpan<int> a); private int MCore(ReadOnlySpan<int> a) => 1; }", "" },
        { "public partial class C { [Tool] public partial ReadOnlySpan<int> M(params ReadOnlySpan<int> a); private ReadOnlySpan<int> MCore(scoped ReadOnlySpan<int> a) => default; }", "" },
        { "public partial class C { [Tool] public partial Task M(scoped ReadOnlySpan<char> s); private Task MCore(scoped ReadOnlySpan<char> s) => Task.CompletedTask; }", "" },
        { "public partial struct R { public int X { get; set; } [Tool] public partial int M(); private readonly int MCore() => X; }", "" },
        { "public partial class C { [Tool] public partial int M(int a); private int MCore(in int a) => a; }", "" },
        { "public partial class C { [Tool] public partial IAsyncEnumerable<int> M(in int a); private IAsyncEnumerable<int> MCore(int a) => null!; }", "" },
        { "public partial class C { [Tool] public partial int M(scoped in int x); private int MCore(scoped in int x) => x; }", "" },
        { "public partial class C { [Tool] public partial Task<int> A(in int x); private Task<int> ACore(in int x) => Task.FromResult(x); }", "" },
        { "public partial class C { [Tool] public partial IAsyncEnumerable<int> A(in int x); private IAsyncEnumerable<int> ACore(in int x) => null!; }", "" },
        { "public partial class C { [Tool] public partial void M(System.TypedReference r); private void MCore(System.TypedReference r) { } }", "" },
        { "public partial class C { [Tool] public partial IEnumerable<int> M(Span<int> r); private IEnumerable<int> MCore(Span<int> r) => null!; }", "" },
        { "public partial class C { [Tool] public partial ValueTask<Stream> M(); private ValueTask<Stream> MCore() => default; }", "" },
        { "public partial class C { [Tool] public partial void M(Action a, Stream s, Func<int> f); private void MCore(Action a, Stream s, Func<int> f) { } }", "" },
        { "public partial class C { [Tool] public partial nint M(nint a); private nint MCore(IntPtr a) => a; }", "" },
        { "public partial class C { [Tool] public partial (int X, string Y) M((int a, int b) t); private (int Left, string Right) MCore((int x, int y) t) => default; }", "" },
        { "public partial class C { [Tool] public partial void M(object a); private void MCore(dynamic a) { } }", "" },
        { "public partial class C { [Tool] public partial int Add(dynamic a); private int AddCore(dynamic a) => 1; }", "" },
        { "public partial class C { [Tool] public partial int @int(int @class); private int intCore(int @class) => 1; }", "" },
        { "public partial class C { [Tool] public partial object M(object @this); private object MCore(object @this) => @this; }", "" },
        { "public partial class C { [Tool] public partial IEnumerable<int> M(); private IEnumerable<int> MCore() { yield return 1; } }", "" },
        { "public partial class C { [Tool] public partial Task<int> M(); private async Task<int> MCore() { await Task.Yield(); return 1; } }", "" },
        { "public partial class C { [Tool] public partial Task<int> M(); private Task<int> MCore() => Task.FromResult(1); private Task<int> MCore(int x) => Task.FromResult(1); }", "" },
        { "public partial class C { [Tool] public partial Task<object> M(); private Task<object> MCore() => null!; [Tool] public partial Task<object> M(int a); private Task<object> MCore(int a) => null!; }", "" },
        { "public partial class C { [Tool] public partial int M(int x); private int MCore(int x) => 1; } public partial class C { }", "" },
        { "#nullable disable\npublic partial class C { [Tool] public partial string M(string a); private string MCore(string a) => a; }", "" },
        { "public partial class C { [Tool] public partial string M(string a);\n#nullable disable\nprivate string MCore(string a) => a;\n#nullable restore\n}", "" },

        // Not traced: each with its diagnostic, nothing generated.
        { "public class C { [Tool] public int Add(int a) => a; }", "AIT001" },
        { "public partial class C { [Tool] public partial int Add(int a) { return a; } private int AddCore(int a) => a; }", "AIT002" },
        { "public partial class C { [Tool] public partial int Add(int a); public partial int Add(int a) { return a; } private int AddCore(int a) => a; }", "AIT002" },
        { "public class C { [Tool] public partial int Add(int a); private int AddCore(int a) => a; }", "AIT003" },
        { "public partial class C { [Tool] public partial int M(); private int MCore => 1; }", "AIT004" },
        { "public partial class C { [Tool] public partial int M(); private static int MCore() => 1; }", "AIT005" },
        { "public partial class C { [Tool] public static partial int M(int a); private int MCore(int a) => a; }", "AIT005" },
        { "public partial class C { [Tool] public partial int M(); private int MCore<T>() => 1; }", "AIT005" },
        { "public partial class C { [Tool] public partial string Get(); private string? GetCore() => null; }", "AIT005" },
        { "public partial class C { [Tool] public partial Task<string> Get(); private Task<string?> GetCore() => Task.FromResult<string?>(null); }", "AIT005" },
        { "public partial class C { [Tool] public partial void Set(string? a); private void SetCore(string a) { } }", "AIT005" },
        { "public partial class C { [Tool] public partial void M<T>(T a) where T : class?; private void MCore<T>(T a) where T : class { } }", "AIT005" },
        { "public partial class C { [Tool] public partial void M<T>(T a) where T : notnull; private void MCore<T>(T a) { } }", "AIT005" },
        { "public partial class C { [Tool] public partial ReadOnlySpan<int> M(scoped ReadOnlySpan<int> a); private ReadOnlySpan<int> MCore(ReadOnlySpan<int> a) => default; }", "AIT005" },
        { "public partial class C { [Tool] public partial ReadOnlySpan<int> M(params ReadOnlySpan<int> a); private ReadOnlySpan<int> MCore(ReadOnlySpan<int> a) => default; }", "AIT005" },
        { "public partial class C { [Tool] public partial Task<int> M(ReadOnlySpan<char> s); private async Task<int> MCore(string s) { await Task.Yield(); return 1; } }", "AIT005" },
        { "public partial struct R { [Tool] public readonly partial int M(); private int MCore() => 1; }", "AIT005" },
        { "public partial class C { [Tool] public partial Task<(string? A, int B)> M(); private Task<(string A, int B)> MCore() => null!; }", "AIT005" },
        { "public partial class C { [Tool] public partial int Add(__arglist); private int AddCore(__arglist) => 1; }", "AIT006" },
        { "public partial class C { [Tool] public partial System.ArgIterator M(); private System.ArgIterator MCore() => default; }", "AIT006" },
        { "public partial class C { [Tool] public async partial Task Run(); private Task RunCore() => Task.CompletedTask; }", "AIT006" },
        { "public partial class C { [Tool] public partial int O(out int x); private int OCore(out int x) { x = 1; return 1; } }", "AIT006" },
        { "public partial class C { [Tool] public partial int R(ref int x); private int RCore(ref int x) => x; }", "AIT006" },
        { "public partial class C { [Tool] public partial ref int R(); private ref int RCore() => throw null!; }", "AIT006" },
        { "public partial class C { [Tool] public partial IAsyncEnumerable<int> M(ReadOnlySpan<char> s); private IAsyncEnumerable<int> MCore(ReadOnlySpan<char> s) => null!; }", "AIT006" },
        { "public partial class C { [Tool] public partial IAsyncEnumerable<int> S<T>(T a) where T : allows ref struct; private IAsyncEnumerable<int> SCore<T>(T a) where T : allows ref struct => null!; }", "AIT006" },
        { "public partial class C { [Tool] partial int Add(int a); private int AddCore(int a) => a; }", "AIT006" },
        { "public unsafe partial class C { [Tool] public partial delegate*<int> M(); private delegate*<int> MCore() => null; }", "AIT006" },
        { "public unsafe partial class C { [Tool] public partial int P(int* p); private int PCore(int* p) => 1; }", "AIT006" },
        { "file partial class C { [Tool] public partial int Add(int a); private int AddCore(int a) => a; }", "AIT006" },
        { "public partial class C { [Tool] public partial MyAwaitable M(); private MyAwaitable MCore() => default; } public struct MyAwaitable { public System.Runtime.CompilerServices.TaskAwaiter GetAwaiter() => default; }", "AIT006" },
        { "public partial class C { [Tool] public partial MyStream M(); private MyStream MCore() => null!; } public abstract class MyStream : IAsyncEnumerable<int> { public abstract IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken ct = default); }", "AIT006" },
        { "public class C { [Tool] public int R(ref int x) => x; }", "AIT006" },
        { "public partial class C { [Tool][LlmCall] public partial int Add(int a); private int AddCore(int a) => a; }", "AIT007" },
        { "public class C { [Tool][AgentSpan] public int Add(int a) => a; }", "AIT007" },
        { "public partial class C { [Tool] public extern partial int M(int x); private int MCore(int x) => 1; }", "AIT011" },
        { "public abstract partial class C { [Tool] public abstract partial int M(int x); private int MCore(int x) => 1; }", "AIT011" },
        { "public partial interface I { [Tool] public partial int Add(int a); }", "AIT011" },
        { "public partial class C { void Outer() { [Tool] int Local(int a) => a; Local(1); Func<int, int> f = [Tool] (int x) => x; } }", "AIT011" },
        { "public partial class C { public int P { [Tool] get => 1; } [Tool] public static C operator +(C a, C b) => a; [Tool] ~C() { } }", "AIT011" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Accepted_declarations_compile_cleanly_and_rejected_ones_get_no_generated_code(string declarations, string expectedIds)
    {
        var run = GeneratorHarness.Run(AnalyzerHarness.Usings + "namespace Rules;\n" + declarations);
        var ours = AnalyzerHarness.Analyze(run.Input);
        var compilerDiagnostics = run.Output.GetDiagnostics();

        // Nothing the compiler says is about a generated file.
        Assert.All(compilerDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning),
            d => Assert.Equal("UserProgram.cs", d.Location.SourceTree?.FilePath));
        // The generator reports our errors and nothing else (never CS8784/CS8785, its own failure): the same ones the
        // harness collects.
        Assert.Equal(ours.Where(d => d.Severity == DiagnosticSeverity.Error).Select(AnalyzerHarness.Describe),
            run.GeneratorDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, System.StringComparer.Ordinal).Select(AnalyzerHarness.Describe));

        // Ours, apart from infos, are exactly the expected ones; and the same over the output compilation.
        var blocking = ours.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.Id).Distinct().OrderBy(id => id);
        Assert.Equal(expectedIds.Split(',', System.StringSplitOptions.RemoveEmptyEntries), blocking);
        Assert.Equal(ours.Select(AnalyzerHarness.Describe), AnalyzerHarness.Analyze(run.Output).Select(AnalyzerHarness.Describe));

        if (expectedIds.Length == 0)
        {
            Assert.NotEmpty(run.GeneratedSources);
            run.AssertCompilesCleanly();
        }
        else
        {
            Assert.Empty(run.GeneratedSources);
        }
    }
}
