using System;
using System.Linq;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Instrumentation.Generator.Tests.Analyzers.Expected;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>AIT009 to AIT012, and the rules across all diagnostics (the first part: AIT001 to AIT008).</summary>
public sealed partial class DiagnosticTests
{
    // ---- AIT009: no token usage -----------------------------------------------------------------------------------

    [Fact]
    public void AIT009_is_reported_for_an_LLM_call_returning_a_type_without_usage()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class Model
            {
                [LlmCall] public partial [|Task<string>|] AskAsync(string prompt);
                private Task<string> AskAsyncCore(string prompt) => Task.FromResult(prompt);

                [LlmCall] public partial [|IAsyncEnumerable<string>|] StreamAsync(string prompt);
                private IAsyncEnumerable<string> StreamAsyncCore(string prompt) => null!;
            }
            """,
            Diagnostic("AIT009", Warning, 0, "AskAsync", "Task<string>",
                "return a Microsoft.Extensions.AI ChatResponse, an OpenAI ChatCompletion or an Anthropic Message, or a type of yours that implements Instrumentation.Runtime.Llm.ILlmResponse"),
            Diagnostic("AIT009", Warning, 1, "StreamAsync", "IAsyncEnumerable<string>",
                "stream Microsoft.Extensions.AI ChatResponseUpdate or OpenAI StreamingChatCompletionUpdate items to have it recorded"));
    }

    [Fact]
    public void AIT009_is_not_reported_for_known_responses_ILlmResponse_or_no_result()
    {
        AnalyzerHarness.Verify("""
            using Instrumentation.Runtime.Llm;
            using Instrumentation.Runtime.Usage;
            namespace App;
            public sealed record Reply(string Text) : ILlmResponse
            {
                public TokenUsage Usage => new() { InputTokens = 1, OutputTokens = 1 };
                public string? Model => null;
                public string? ResponseId => null;
                public string? FinishReason => null;
            }
            public partial class Model
            {
                [LlmCall] public partial Task<Microsoft.Extensions.AI.ChatResponse> AskAsync(IList<Microsoft.Extensions.AI.ChatMessage> messages);
                private Task<Microsoft.Extensions.AI.ChatResponse> AskAsyncCore(IList<Microsoft.Extensions.AI.ChatMessage> messages) => null!;

                [LlmCall] public partial Reply Ask(string prompt);
                private Reply AskCore(string prompt) => new(prompt);

                [LlmCall] public partial Task WarmUpAsync();
                private Task WarmUpAsyncCore() => Task.CompletedTask;
            }
            """);
    }

    [Fact]
    public void AIT009_is_a_warning_and_the_LLM_call_is_still_traced()
    {
        var run = GeneratorHarness.Run(AnalyzerHarness.Usings + """
            namespace App;
            public partial class Model
            {
                [LlmCall] public partial Task<string> AskAsync(string prompt);
                private Task<string> AskAsyncCore(string prompt) => Task.FromResult(prompt);
            }
            """);

        // A warning, so a terminal build shows it; a note on recording, so the method keeps its wrapper.
        Assert.Equal(Warning, Assert.Single(AnalyzerHarness.Analyze(run.Input)).Severity);
        Assert.Contains(run.GeneratedSources.Keys, name => name.StartsWith("App.Model.AskAsync.", StringComparison.Ordinal));
        run.AssertCompilesCleanly();
    }

    // ---- AIT010: runtime not referenced ---------------------------------------------------------------------------

    [Fact]
    public void AIT010_is_reported_when_the_runtime_is_not_referenced()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class C
            {
                [Tool] public partial int [|Add|](int a);
                private int AddCore(int a) => a;
            }
            """,
            LanguageVersion.Latest, withRuntime: false,
            Diagnostic("AIT010", Error, 0, "Tool", "Add"));
    }

    [Fact]
    public void AIT010_is_not_reported_when_the_runtime_is_referenced()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class C
            {
                [Tool] public partial int Add(int a);
                private int AddCore(int a) => a;
            }
            """,
            LanguageVersion.Latest, withRuntime: true);
    }

    // ---- AIT011: attribute has no effect --------------------------------------------------------------------------

    private const string Instead = "trace a partial method of a class or struct and call it from here, or remove the attribute";

    [Theory]
    [InlineData("public partial class C { public int Run() { [[|Tool|]] int Twice(int a) => a * 2; return Twice(1); } }",
        "'Twice'", "a local function", "move it into a partial method of the containing type (the code that calls it stays the same), or remove the attribute")]
    [InlineData("public partial class C { public Func<int, int> Twice = [[|Tool|]] (int a) => a * 2; }",
        "this lambda", "a lambda", Instead)]
    [InlineData("public partial class C { public int Size { [[|Tool|]] get => 1; } }",
        "the accessor of 'Size'", "a property accessor", Instead)]
    [InlineData("public partial class C { [[|Tool|]] public static C operator +(C a, C b) => a; }",
        "'operator +'", "an operator", Instead)]
    [InlineData("public partial class C { [[|Tool|]] ~C() { } }",
        "the finalizer of 'C'", "a finalizer", Instead)]
    [InlineData("public abstract partial class C { [[|Tool|]] public abstract Task<int> RunAsync(); }",
        "'RunAsync'", "abstract", "put the attribute on the method that overrides it")]
    [InlineData("public partial class C { [[|Tool|]] [System.Runtime.InteropServices.DllImport(\"libc\")] public static extern int getpid(); }",
        "'getpid'", "extern, so its body is not C# the generator could call", "trace a partial method that calls it, or remove the attribute")]
    [InlineData("public interface ISearch { [[|Tool|]] Task<string> SearchAsync(string query); }",
        "'SearchAsync'", "an interface member", "put the attribute on the method that implements it, in a partial class or struct")]
    [InlineData("public partial class C : IDisposable { [[|Tool|]] void IDisposable.Dispose() { } }",
        "'System.IDisposable.Dispose'", "an explicit interface implementation, which cannot be partial", "trace a partial method and call it from the explicit implementation, or remove the attribute")]
    public void AIT011_is_reported_where_the_attribute_has_no_effect(string type, string member, string what, string remedy)
    {
        AnalyzerHarness.Verify("namespace App; " + type, Diagnostic("AIT011", Warning, 0, "Tool", member, what, remedy));
    }

    [Fact]
    public void AIT011_is_not_reported_for_a_partial_method_called_from_a_local_function_or_lambda()
    {
        AnalyzerHarness.Verify("""
            namespace App;
            public partial class C
            {
                [Tool] public partial int Twice(int a);
                private int TwiceCore(int a) => a * 2;
                public int Run() { int Local(int a) => Twice(a); Func<int, int> f = [Obsolete] (int a) => Twice(a); return Local(1) + f(2); }
            }
            """);
    }

    // ---- once per method ------------------------------------------------------------------------------------------

    [Fact]
    public void Each_problem_is_reported_once_per_method_whatever_the_attributes_and_parts()
    {
        // Three attributes, split across the two parts of a partial method, on a method with several problems.
        AnalyzerHarness.Verify("""
            namespace App;
            public class C
            {
                [Tool][[|LlmCall|]] public partial int [|Add|](ref int [|a|]);
            }
            public partial class D
            {
                [AgentSpan] public partial int Sub(int a);
                [[|Tool|]] public partial int [|Sub|](int a) => a;
            }
            """,
            Diagnostic("AIT007", Error, 0, "Add", "Tool", "LlmCall"),
            Diagnostic("AIT003", Error, 1, "C", "Tool", "Add"),
            Diagnostic("AIT004", Error, 1, "Add", "AddCore", "C"),
            Diagnostic("AIT006", Error, 2, "Add", "parameter 'a' is passed by 'ref', which the wrapper does not pass on: pass it by value or 'in' and return what changes"),
            Diagnostic("AIT007", Error, 3, "Sub", "AgentSpan", "Tool"),
            Diagnostic("AIT002", Error, 4, "Sub", "AgentSpan", "SubCore"));
    }

    // ---- AIT012: async void body ----------------------------------------------------------------------------------

    [Fact]
    public void AIT012_is_reported_for_an_async_void_body_and_an_async_void_ordinary_method()
    {
        var verified = AnalyzerHarness.Verify("""
            namespace App;
            public partial class Worker
            {
                [Tool] public partial void [|Fire|](string job);
                private async void [|FireCore|](string job) => await Task.Yield();

                [AgentSpan(Implementation = nameof(Launch))] public partial void [|Start|]();
                private async void Launch() { await Task.Delay(1); }

                [Tool] public async void [|Ordinary|]() => await Task.Yield();
            }
            """,
            Diagnostic("AIT012", Error, 0, "FireCore", "Fire"),
            Diagnostic("AIT012", Error, 2, "Launch", "Start"),
            Diagnostic("AIT012", Error, 3, "Ordinary", "Ordinary"));
        verified.AssertAdditionalLocations(0, 1);
    }

    [Fact]
    public void AIT012_is_not_reported_for_async_Task_bodies_or_synchronous_void_ones()
    {
        var run = GeneratorHarness.Run(AnalyzerHarness.Usings + """
            namespace App;
            public partial class Worker
            {
                [Tool] public partial Task FireAsync(string job);
                private async Task FireAsyncCore(string job) => await Task.Yield();

                [Tool] public partial void Log(string line);
                private void LogCore(string line) { }

                // An event handler stays async void and calls the traced method.
                public async void OnClick(object sender, EventArgs e) => await FireAsync("click");
            }
            """);

        Assert.Empty(AnalyzerHarness.Analyze(run.Input));
        run.AssertCompilesCleanly();
    }

    [Fact]
    public void The_analyzer_reports_the_same_with_or_without_the_generated_sources()
    {
        const string source = AnalyzerHarness.Usings + """
            namespace App;
            public partial class C
            {
                [Tool] public partial void Write(Stream log, string line);
                private void WriteCore(Stream log, string line) { }
                [Tool] public partial int Broken(int a);
            }
            """;

        var run = GeneratorHarness.Run(source);

        Assert.Equal(
            AnalyzerHarness.Analyze(run.Input).Select(AnalyzerHarness.Describe),
            AnalyzerHarness.Analyze(run.Output).Select(AnalyzerHarness.Describe));
        Assert.Equal(new[] { "AIT008", "AIT004" }, AnalyzerHarness.Analyze(run.Output).Select(d => d.Id));
    }
}
