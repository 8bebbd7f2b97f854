using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using Instrumentation.Generator.Analyzers;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>
/// Runs <see cref="InstrumentedMethodAnalyzer"/> over a program through <see cref="CompilationWithAnalyzers"/>, as the
/// compiler and the IDE do, and compares what it reports with expectations written as markup in the program:
/// <c>[|text|]</c> marks a span; the spans are numbered from 0 in the order they appear.
/// </summary>
internal static class AnalyzerHarness
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;

        """;

    /// <summary>Every diagnostic the analyzer reports for <paramref name="compilation"/>, in source order; fails on an analyzer exception.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception), concurrentAnalysis: true, logAnalyzerExecutionTime: false);
        var diagnostics = compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new InstrumentedMethodAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (exceptions.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The analyzer threw:\n" + string.Join("\n", exceptions));
        }

        return diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>Analyzes <paramref name="markup"/> (with <see cref="Usings"/> prepended) and asserts the analyzer
    /// reports exactly <paramref name="expected"/>: IDs, severities, locations and message arguments.</summary>
    public static Verified Verify(string markup, params Expected[] expected) =>
        Verify(markup, LanguageVersion.Latest, withRuntime: true, expected);

    public static Verified Verify(string markup, LanguageVersion languageVersion, bool withRuntime, params Expected[] expected)
    {
        var (source, spans) = Markup.Parse(Usings + markup);
        var compilation = GeneratorHarness.CreateCompilation(source, new CSharpParseOptions(languageVersion), withRuntime);
        var actual = Analyze(compilation);
        var tree = compilation.SyntaxTrees.Single();
        AssertMatches(actual, expected.Select(e => e.Resolve(tree, spans)).ToList());
        return new Verified(actual, spans.Select(span => tree.GetLineSpan(span).Span).ToList());
    }

    public static void AssertMatches(IReadOnlyList<Diagnostic> actual, IReadOnlyList<ResolvedExpectation> expected)
    {
        var report = new StringBuilder();
        report.AppendLine("Expected:");
        foreach (var e in expected)
        {
            report.AppendLine("  " + e);
        }

        report.AppendLine("Actual:");
        foreach (var d in actual)
        {
            report.AppendLine("  " + Describe(d));
        }

        if (actual.Count != expected.Count)
        {
            throw new Xunit.Sdk.XunitException($"Expected {expected.Count} diagnostic(s), got {actual.Count}.\n{report}");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var d = actual[i];
            var lineSpan = d.Location.GetLineSpan();
            var descriptor = DiagnosticDescriptors.All.Single(x => x.Id == e.Id);
            var arguments = Arguments(d);
            var matches = d.Id == e.Id
                && d.Severity == e.Severity
                && d.Severity == descriptor.DefaultSeverity
                && lineSpan.Path == e.Path
                && lineSpan.Span == e.Span
                && arguments.SequenceEqual(e.Arguments)
                && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture) == string.Format(System.Globalization.CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(), e.Arguments);
            if (!matches)
            {
                throw new Xunit.Sdk.XunitException($"Diagnostic {i} differs.\n{report}");
            }
        }
    }

    /// <summary>The message arguments a diagnostic was created with (Roslyn keeps them internal; the testing library reads them the same way).</summary>
    public static IReadOnlyList<string?> Arguments(Diagnostic diagnostic)
    {
        var property = typeof(Diagnostic).GetProperty("Arguments", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Roslyn no longer exposes Diagnostic.Arguments");
        var values = (IReadOnlyList<object?>?)property.GetValue(diagnostic) ?? Array.Empty<object?>();
        return values.Select(v => v?.ToString()).ToList();
    }

    public static string Describe(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        return $"{d.Id} {d.Severity} {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}) [{string.Join(" | ", Arguments(d))}]";
    }
}

/// <summary>What the analyzer reported, and the markup spans as line and column positions.</summary>
internal sealed record Verified(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<LinePositionSpan> Spans)
{
    public Diagnostic this[int index] => Diagnostics[index];

    /// <summary>Asserts the diagnostic's additional locations are exactly the given markup spans.</summary>
    public void AssertAdditionalLocations(int diagnostic, params int[] spans) =>
        Xunit.Assert.Equal(spans.Select(i => Spans[i]), Diagnostics[diagnostic].AdditionalLocations.Select(l => l.GetLineSpan().Span));
}

/// <summary>An expected diagnostic: its ID, severity, the markup span it must cover and its message arguments.</summary>
internal sealed record Expected(string Id, DiagnosticSeverity Severity, int SpanIndex, string?[] Arguments)
{
    public static Expected Diagnostic(string id, DiagnosticSeverity severity, int span, params string?[] arguments) =>
        new(id, severity, span, arguments);

    public ResolvedExpectation Resolve(SyntaxTree tree, IReadOnlyList<TextSpan> spans) =>
        new(Id, Severity, tree.FilePath, tree.GetLineSpan(spans[SpanIndex]).Span, Arguments);
}

/// <summary>An expected diagnostic with its location as line and column positions.</summary>
internal sealed record ResolvedExpectation(string Id, DiagnosticSeverity Severity, string Path, LinePositionSpan Span, string?[] Arguments)
{
    public override string ToString() =>
        $"{Id} {Severity} {Path}({Span.Start.Line + 1},{Span.Start.Character + 1})-({Span.End.Line + 1},{Span.End.Character + 1}) [{string.Join(" | ", Arguments)}]";
}

/// <summary>Markup: <c>[|text|]</c> marks a span, numbered from 0 in order of appearance.</summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<TextSpan> Spans) Parse(string markup)
    {
        var text = new StringBuilder();
        var spans = new List<TextSpan>();
        var start = -1;
        for (var i = 0; i < markup.Length; i++)
        {
            if (string.CompareOrdinal(markup, i, "[|", 0, 2) == 0)
            {
                start = text.Length;
                i++;
            }
            else if (string.CompareOrdinal(markup, i, "|]", 0, 2) == 0 && start >= 0)
            {
                spans.Add(TextSpan.FromBounds(start, text.Length));
                start = -1;
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        return (text.ToString(), spans);
    }
}
