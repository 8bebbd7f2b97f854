using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Instrumentation.Benchmarks;

/// <summary>
/// A user project of 1,000 annotated methods: 100 files, each one partial class with 10 methods of mixed shapes
/// (<c>T</c>, <c>void</c>, <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c>, static with <c>in</c> and
/// <c>params</c>, generic, <c>IAsyncEnumerable&lt;T&gt;</c>, an agent, a Microsoft.Extensions.AI model call) and their
/// bodies, referencing the framework, the attributes, the runtime and Microsoft.Extensions.AI.Abstractions.
/// </summary>
public static class GeneratorCorpus
{
    public const int Files = 100;
    public const int MethodsPerFile = 10;

    /// <summary>The file whose edits the incremental benchmarks make.</summary>
    public const int EditedFile = 50;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions s_options = new(OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<SyntaxTree> ParseAll() =>
        Enumerable.Range(0, Files).Select(i => Parse(i, Source(i))).ToImmutableArray();

    public static SyntaxTree Parse(int file, string source) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Service{file}.cs");

    public static CSharpCompilation Compile(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("Corpus", trees, s_references.Value, s_options);

    /// <summary>One file. <paramref name="bodyEdit"/> changes the body of <c>AddCore</c> (a method the generator never
    /// reads); <paramref name="nameEdit"/> changes the span name in <c>[Tool(Name = ...)]</c> of <c>LookupAsync</c>, so
    /// exactly one wrapper must be regenerated.</summary>
    public static string Source(int i, int bodyEdit = 0, int nameEdit = 0)
    {
        var n = i.ToString(CultureInfo.InvariantCulture);
        var body = bodyEdit.ToString(CultureInfo.InvariantCulture);
        var name = nameEdit == 0 ? "lookup" : "lookup_" + nameEdit.ToString(CultureInfo.InvariantCulture);
        return $$"""
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            using System.Threading;
            using System.Threading.Tasks;
            using Instrumentation;
            using Microsoft.Extensions.AI;

            namespace Corpus.Area{{n}}
            {
                public sealed record Item{{n}}(string Key, int Count);

                public partial class Service{{n}}
                {
                    private readonly IChatClient _client;

                    public Service{{n}}(IChatClient client) => _client = client;

                    [Tool(Description = "Adds two numbers.")]
                    public partial int Add(int a, int b);
                    private int AddCore(int a, int b) => a + b + {{body}};

                    [Tool(Name = "{{name}}")]
                    public partial Task<Item{{n}}> LookupAsync(string key, CancellationToken cancellationToken = default);
                    private async Task<Item{{n}}> LookupAsyncCore(string key, CancellationToken cancellationToken)
                    {
                        await Task.Yield();
                        return new Item{{n}}(key, key.Length);
                    }

                    [Tool]
                    public partial ValueTask<int> CountAsync(string text);
                    private ValueTask<int> CountAsyncCore(string text) => new(text.Length);

                    [Tool]
                    public partial void Log(string line, [NotTraced] string? detail = null);
                    private void LogCore(string line, string? detail) { }

                    [Tool]
                    public partial Task SaveAsync(string key, [Redact] string value);
                    private Task SaveAsyncCore(string key, string value) => Task.CompletedTask;

                    [Tool]
                    public static partial long Sum(in long seed, params long[] values);
                    private static long SumCore(in long seed, params long[] values)
                    {
                        var total = seed;
                        foreach (var value in values) total += value;
                        return total;
                    }

                    [Tool]
                    public partial T Echo<T>(T item) where T : notnull;
                    private T EchoCore<T>(T item) where T : notnull => item;

                    [Tool]
                    public partial IAsyncEnumerable<int> RangeAsync(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default);
                    private async IAsyncEnumerable<int> RangeAsyncCore(int count, [EnumeratorCancellation] CancellationToken cancellationToken)
                    {
                        for (var k = 0; k < count; k++) { await Task.Yield(); yield return k; }
                    }

                    [AgentSpan(AgentName = "agent-{{n}}")]
                    public partial Task<string> RunAsync(string question, CancellationToken cancellationToken = default);
                    private async Task<string> RunAsyncCore(string question, CancellationToken cancellationToken)
                    {
                        var response = await CompleteAsync(new List<ChatMessage> { new(ChatRole.User, question) }, new ChatOptions(), cancellationToken);
                        return response.Text;
                    }

                    [LlmCall(Model = "gpt-4o-mini", Provider = "openai")]
                    public partial Task<ChatResponse> CompleteAsync(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken = default);
                    private Task<ChatResponse> CompleteAsyncCore(IList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken) =>
                        _client.GetResponseAsync(messages, options, cancellationToken);
                }
            }
            """;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework this process runs on, plus the attributes, the runtime and Microsoft.Extensions.AI.Abstractions
        // from beside the benchmarks: what a user project on net10.0 references.
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll");
        var libraries = new[] { "Instrumentation.Attributes.dll", "Instrumentation.Runtime.dll", "Microsoft.Extensions.AI.Abstractions.dll", "OpenTelemetry.Api.dll" }
            .Select(name => Path.Combine(AppContext.BaseDirectory, name));
        return platform.Concat(libraries).Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}
