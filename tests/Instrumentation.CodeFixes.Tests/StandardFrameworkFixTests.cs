using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Instrumentation.Generator.Analyzers;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// The AIT001 fix through the standard Roslyn code-fix test framework, which applies it the ways the IDE can: one
/// diagnostic at a time until none is left, and fix-all in the document, the project and the solution, each of which
/// must end at the same text. The generator runs too, so the fixed program must compile with its wrappers and hold
/// no diagnostic at all, ours or the compiler's.
/// </summary>
public sealed class StandardFrameworkFixTests
{
    [Fact]
    public async Task Fixing_every_ordinary_traced_method_one_by_one_or_all_at_once_gives_the_same_clean_program()
    {
        var test = new Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using Instrumentation;

                namespace Demo;

                public class Calculator
                {
                    [Tool]
                    public int {|#0:Add|}(int a, int b) => a + b;

                    [AgentSpan]
                    public async Task<string> {|#1:AskAsync|}(string question)
                    {
                        await Task.Yield();
                        return question;
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                using Instrumentation;

                namespace Demo;

                public partial class Calculator
                {
                    [Tool]
                    public partial int Add(int a, int b);

                    private int AddCore(int a, int b) => a + b;

                    [AgentSpan]
                    public partial Task<string> AskAsync(string question);

                    private async Task<string> AskAsyncCore(string question)
                    {
                        await Task.Yield();
                        return question;
                    }
                }
                """,
            CodeActionEquivalenceKey = MakeMethodTracedCodeFixProvider.MakeTracedKey,
        };
        RoslynTestDefaults.Apply(test);
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Add", "Tool", "AddCore"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("AskAsync", "AgentSpan", "AskAsyncCore"));

        await test.RunAsync();
    }

    private sealed class Test : CSharpCodeFixTest<InstrumentedMethodAnalyzer, MakeMethodTracedCodeFixProvider, DefaultVerifier>
    {
        protected override IEnumerable<Type> GetSourceGenerators() => RoslynTestDefaults.SourceGenerators;
    }
}
