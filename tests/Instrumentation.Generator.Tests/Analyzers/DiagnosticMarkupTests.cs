using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Instrumentation.Generator.Analyzers;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>
/// Diagnostics as the standard Roslyn analyzer test framework checks them, from markup: the analyzer and the generator
/// run together over the program (as in the IDE), and the framework asserts every diagnostic, ours and the compiler's,
/// with its location, message arguments and severity, and reruns the analysis with each diagnostic suppressed.
/// <see cref="DiagnosticTests"/> covers every rule; these cases are the ones each reporter is for.
/// </summary>
public sealed class DiagnosticMarkupTests
{
    [Fact]
    public Task The_analyzer_warns_about_an_ordinary_method_and_a_local_function_that_are_not_traced() => Verify("""
        using Instrumentation;

        namespace App;

        public class Calculator
        {
            [Tool]
            public int {|#0:Add|}(int a, int b) => a + b;

            public int Twice(int a)
            {
                return Double(a);

                [{|#1:Tool|}]
                static int Double(int x) => 2 * x;
            }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Add", "Tool", "AddCore"),
        new DiagnosticResult(DiagnosticDescriptors.AttributeHasNoEffect).WithLocation(1).WithArguments("Tool", "'Double'", "a local function",
            "move it into a partial method of the containing type (the code that calls it stays the same), or remove the attribute"));

    [Fact]
    public Task A_traced_method_gets_its_recording_note_and_no_other_diagnostic() => Verify("""
        using System.IO;
        using Instrumentation;

        namespace App;

        public partial class Logbook
        {
            [Tool] public partial void Write(Stream {|#0:log|}, string line);
            private void WriteCore(Stream log, string line) { }
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.ValueRecordedAsPlaceholder).WithLocation(0)
            .WithArguments("Parameter 'log'", "Stream", "; mark it [NotTraced] to leave it out of the inputs"));

    [Fact]
    public Task The_generator_reports_a_missing_body_method_beside_the_compilers_own_error() => Verify("""
        using Instrumentation;

        namespace App;

        public partial class Calculator
        {
            [Tool] public partial int {|#0:Add|}(int a, int b);
            private int AddCor(int a, int b) => a + b;
        }
        """,
        new DiagnosticResult(DiagnosticDescriptors.ImplementationMissing).WithLocation(0).WithArguments("Add", "AddCore", "Calculator"),
        DiagnosticResult.CompilerError("CS8795").WithLocation(0));

    private static Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        RoslynTestDefaults.Apply(test);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<InstrumentedMethodAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<Type> GetSourceGenerators() => RoslynTestDefaults.SourceGenerators;
    }
}
