using System;
using System.Diagnostics;
using System.Linq;
using Instrumentation.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Instrumentation.Benchmarks -- probe-generator</c>: runs the generator
/// scenarios of <see cref="GeneratorBenchmarks"/> once each with step tracking on and prints, per pipeline step, how
/// many entries ran for real (New/Modified) or were reused (Cached/Unchanged), with each step's elapsed time. It shows
/// where an incremental run spends its time.
/// </summary>
public static class GeneratorProbe
{
    public static void Run()
    {
        var trees = GeneratorCorpus.ParseAll();
        var compilation = GeneratorCorpus.Compile(trees);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators: new[] { new InstrumentationGenerator().AsSourceGenerator() },
            parseOptions: GeneratorCorpus.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = Time("cold", () => driver.RunGenerators(compilation));

        var tree = trees[GeneratorCorpus.EditedFile];
        for (var round = 0; round < 3; round++)
        {
            driver = Time("rerun, no edit", () => driver.RunGenerators(compilation));
            var text = tree.GetText();
            var position = text.ToString().IndexOf("a + b + ", StringComparison.Ordinal) + "a + b + ".Length;
            var edited = tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(position, 1), round % 2 == 0 ? "1" : "0")));
            compilation = compilation.ReplaceSyntaxTree(tree, edited);
            tree = edited;
            driver = Time("edit one body", () => driver.RunGenerators(compilation));
        }

        // The generator's inspector builds its table of known types (28 lookups by metadata name) once per method.
        // What do those lookups cost, per method, in a compilation like the edited one?
        for (var round = 0; round < 3; round++)
        {
            var fresh = GeneratorCorpus.Compile(trees);
            var started = Stopwatch.GetTimestamp();
            var found = 0;
            for (var method = 0; method < GeneratorCorpus.Files * GeneratorCorpus.MethodsPerFile; method++)
            {
                foreach (var name in KnownTypeNames)
                {
                    found += fresh.GetTypeByMetadataName(name) is null ? 0 : 1;
                }
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            Console.WriteLine($"known types: {KnownTypeNames.Length} lookups x 1,000 methods on a new compilation: {elapsed.TotalMilliseconds:F1} ms "
                + $"({elapsed.TotalMilliseconds * 1000 / (GeneratorCorpus.Files * GeneratorCorpus.MethodsPerFile):F1} us per method; {found / 1000} of {KnownTypeNames.Length} found)");
        }
    }

    /// <summary>The metadata names src/Instrumentation.Generator/Parsing/KnownTypes.cs looks up in its constructor.</summary>
    private static readonly string[] KnownTypeNames =
    [
        "System.Threading.Tasks.Task", "System.Threading.Tasks.Task`1", "System.Threading.Tasks.ValueTask", "System.Threading.Tasks.ValueTask`1",
        "System.Collections.Generic.IAsyncEnumerable`1", "System.Threading.CancellationToken", "System.IO.Stream", "System.Reflection.MemberInfo",
        "System.Reflection.Assembly", "System.Threading.WaitHandle", "System.Threading.CancellationTokenSource", "Instrumentation.NotTracedAttribute",
        "Instrumentation.RedactAttribute", "Instrumentation.Runtime.AgentTelemetry", "Instrumentation.Runtime.Llm.ILlmResponse",
        "System.Collections.Generic.IEnumerable`1", "Microsoft.Extensions.AI.ChatResponse", "Microsoft.Extensions.AI.ChatResponseUpdate",
        "Microsoft.Extensions.AI.ChatMessage", "Microsoft.Extensions.AI.ChatOptions", "OpenAI.Chat.ChatCompletion",
        "OpenAI.Chat.StreamingChatCompletionUpdate", "OpenAI.Chat.ChatMessage", "OpenAI.Chat.ChatCompletionOptions",
        "System.ClientModel.ClientResult`1", "Anthropic.Models.Messages.Message", "Anthropic.Models.Messages.MessageCreateParams",
    ];

    private static GeneratorDriver Time(string what, Func<GeneratorDriver> run)
    {
        var started = Stopwatch.GetTimestamp();
        var driver = run();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = driver.GetRunResult().Results[0];
        Console.WriteLine($"{what}: {elapsed.TotalMilliseconds:F1} ms");
        foreach (var (name, runs) in result.TrackedSteps.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var reasons = runs.SelectMany(r => r.Outputs).GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
            var stepTime = runs.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.ElapsedTime);
            Console.WriteLine($"   {name,-14} {runs.Length,5} runs, {stepTime.TotalMilliseconds,8:F2} ms: {string.Join(", ", reasons)}");
        }

        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs).GroupBy(o => o.Reason)
            .OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        Console.WriteLine($"   outputs: {string.Join(", ", outputs)}");
        return driver;
    }
}
