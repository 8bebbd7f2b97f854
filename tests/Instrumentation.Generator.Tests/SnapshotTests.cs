using System.Collections.Generic;
using System.Linq;
using Instrumentation.Generator.Tests.Infrastructure;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// The generated source for every supported shape, against reviewed golden files. Each case must also compile with
/// no warning, so a snapshot can never bless code that does not build.
/// </summary>
public sealed class SnapshotTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;

        """;

    public static readonly Dictionary<string, string> Shapes = new()
    {
        ["SyncVoid"] = """
            namespace Shapes;
            public partial class Logbook
            {
                [Tool] public partial void Write(string line);
                private void WriteCore(string line) { }
            }
            """,
        ["SyncValue"] = """
            namespace Shapes;
            public partial class Calculator
            {
                [Tool(Name = "add", Description = "Adds two integers.")] public partial int Add(int a, int b);
                private int AddCore(int a, int b) => a + b;
            }
            """,
        ["TaskOfT"] = """
            namespace Shapes;
            public partial class WeatherAgent
            {
                [AgentSpan] public partial Task<string> RunAsync(string question, CancellationToken ct = default);
                private Task<string> RunAsyncCore(string question, CancellationToken ct) => Task.FromResult(question);
            }
            """,
        ["Task"] = """
            namespace Shapes;
            public partial class Mailer
            {
                [Tool] public partial Task SendAsync(string to, [NotTraced] string body);
                private Task SendAsyncCore(string to, string body) => Task.CompletedTask;
            }
            """,
        ["ValueTaskOfT"] = """
            namespace Shapes;
            public partial class Cache
            {
                [Tool] public partial ValueTask<int?> LookupAsync(string key);
                private ValueTask<int?> LookupAsyncCore(string key) => new((int?)null);
            }
            """,
        ["ValueTask"] = """
            namespace Shapes;
            public partial class Cache
            {
                [Tool] public partial ValueTask FlushAsync();
                private ValueTask FlushAsyncCore() => default;
            }
            """,
        ["StaticWithImplementation"] = """
            namespace Shapes;
            public static partial class Tools
            {
                [Tool(Implementation = nameof(Lookup))] public static partial string Search(string query, int limit = 10);
                private static string Lookup(string query, int limit) => query;
            }
            """,
        ["GenericMethodWithConstraints"] = """
            namespace Shapes;
            public partial class Store
            {
                [Tool] public partial Task<T?> LoadAsync<T, TKey>(TKey key) where T : class, new() where TKey : notnull, IComparable<TKey>;
                private Task<T?> LoadAsyncCore<T, TKey>(TKey key) where T : class, new() where TKey : notnull, IComparable<TKey> => Task.FromResult<T?>(null);
            }
            """,
        ["NestedGenericTypes"] = """
            namespace Shapes.Nested;
            public partial class Outer<TItem>
            {
                internal partial record Inner
                {
                    public partial struct Innermost
                    {
                        [Tool] public partial TItem Echo(TItem item);
                        private TItem EchoCore(TItem item) => item;
                    }
                }
            }
            """,
        ["GlobalNamespaceParamsAndIn"] = """
            public partial class Summer
            {
                [Tool] public partial long Sum(in long seed, params long[] values);
                private long SumCore(in long seed, long[] values) => seed;
            }
            """,
        ["RedactionAndSecrets"] = """
            namespace Shapes;
            public partial class Gateway
            {
                [Tool] public partial string Call(string url, [Redact] string payload, string apiKey, int maxTokens, string accessToken);
                private string CallCore(string url, string payload, string apiKey, int maxTokens, string accessToken) => url;
            }
            """,
        ["RefStructParameterAndResult"] = """
            namespace Shapes;
            public partial class Parser
            {
                [Tool] public partial ReadOnlySpan<char> Trim(ReadOnlySpan<char> text, Stream log);
                private ReadOnlySpan<char> TrimCore(ReadOnlySpan<char> text, Stream log) => text.Trim();
            }
            """,
        ["LlmCallWithModel"] = """
            namespace Shapes;
            public sealed class Reply { public string Text { get; set; } = ""; }
            public partial class Model
            {
                [LlmCall(Model = "gpt-4o-mini", Provider = "openai")] public partial Task<Reply> CompleteAsync(IList<string> messages, CancellationToken ct = default);
                private Task<Reply> CompleteAsyncCore(IList<string> messages, CancellationToken ct) => Task.FromResult(new Reply());
            }
            """,
        ["AgentNameAndKeywordParameters"] = """
            namespace Shapes;
            public partial class Planner
            {
                [AgentSpan(Name = "plan", AgentName = "planner-v2")] internal static partial Task<string> PlanAsync(string @class, string @event);
                private static Task<string> PlanAsyncCore(string @class, string @event) => Task.FromResult(@class);
            }
            """,
        ["ParameterNamedLikeLocals"] = """
            namespace Shapes;
            public partial class Odd
            {
                [Tool] public partial int Twice(int __span);
                private int TwiceCore(int __span) => __span * 2;
            }
            """,
    };

    public static TheoryData<string> ShapeNames => new(Shapes.Keys);

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Generated_source_matches_the_reviewed_snapshot_and_compiles_cleanly(string shape)
    {
        var run = GeneratorHarness.Run(Usings + Shapes[shape]).AssertCompilesCleanly();

        var generated = Assert.Single(run.GeneratedSources);
        Snapshot.Match(shape, generated.Value);
    }

    [Fact]
    public void Overloads_get_distinct_deterministic_file_names()
    {
        const string source = Usings + """
            namespace Shapes;
            public partial class Overloads
            {
                [Tool] public partial int Get(int id);
                private int GetCore(int id) => id;
                [Tool] public partial int Get(string name);
                private int GetCore(string name) => 0;
            }
            """;

        var first = GeneratorHarness.Run(source).AssertCompilesCleanly().GeneratedSources.Keys.OrderBy(k => k).ToList();
        var second = GeneratorHarness.Run(source).GeneratedSources.Keys.OrderBy(k => k).ToList();

        Assert.Equal(2, first.Count);
        Assert.NotEqual(first[0], first[1]);
        Assert.All(first, name => Assert.StartsWith("Shapes.Overloads.Get.", name));
        Assert.Equal(first, second);
    }
}
