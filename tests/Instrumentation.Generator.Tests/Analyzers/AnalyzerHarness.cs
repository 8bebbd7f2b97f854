using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using Instrumentation.Generator;
using Instrumentation.Generator.Analyzers;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>
/// Runs <see cref="InstrumentedMethodAnalyzer"/> over a program through <see cref="CompilationWithAnalyzers"/>, and the
/// generator through its driver, as the compiler and the IDE do, and compares what they report with expectations written as markup in the program:
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

    /// <summary>
    /// Every diagnostic of ours the user sees for <paramref name="compilation"/>, in source order, as the IDE shows them:
    /// the analyzer's (over <paramref name="compilation"/>, which may hold generated sources) and the generator's (run
    /// over the user's own sources), each of the generator's located in the user's syntax tree, as the IDE maps them by
    /// path. Fails on an analyzer or generator exception, and when an ID comes from both.
    /// </summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
    {
        var analyzer = AnalyzerDiagnostics(compilation);
        var generator = GeneratorDiagnostics(compilation);
        var both = analyzer.Select(d => d.Id).Intersect(generator.Select(d => d.Id)).ToList();
        if (both.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Reported by both the analyzer and the generator: " + string.Join(", ", both));
        }

        return analyzer.Concat(generator).OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>What <see cref="InstrumentedMethodAnalyzer"/> alone reports; fails on an analyzer exception.</summary>
    public static ImmutableArray<Diagnostic> AnalyzerDiagnostics(Compilation compilation)
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

        return diagnostics;
    }

    /// <summary>
    /// Where the generator driver puts this generator's files: <c>&lt;assembly&gt;/&lt;generator type&gt;/&lt;hint name&gt;</c>
    /// (no base directory in these tests).
    /// </summary>
    public static string GeneratedPathPrefix { get; } = System.IO.Path.Combine(
        typeof(InstrumentationGenerator).Assembly.GetName().Name!, typeof(InstrumentationGenerator).FullName!) + System.IO.Path.DirectorySeparatorChar;

    /// <summary>
    /// What the generator reports for the user's sources of <paramref name="compilation"/> (its generated ones left
    /// out), each relocated into the user's syntax tree of the same path, the span unchanged; fails on a generator
    /// exception or a diagnostic outside the user's files.
    /// </summary>
    public static ImmutableArray<Diagnostic> GeneratorDiagnostics(Compilation compilation)
    {
        var generated = compilation.SyntaxTrees.Where(t => t.FilePath.StartsWith(GeneratedPathPrefix, StringComparison.Ordinal));
        var input = compilation.RemoveSyntaxTrees(generated);
        var driver = CSharpGeneratorDriver.Create(new[] { new InstrumentationGenerator().AsSourceGenerator() },
            parseOptions: (CSharpParseOptions?)input.SyntaxTrees.FirstOrDefault()?.Options);
        var result = driver.RunGenerators(input).GetRunResult();
        if (result.Results.Single().Exception is { } exception)
        {
            throw new Xunit.Sdk.XunitException("The generator threw:\n" + exception);
        }

        return result.Diagnostics.Select(d =>
        {
            var path = d.Location.GetLineSpan().Path;
            var tree = input.SyntaxTrees.SingleOrDefault(t => t.FilePath == path)
                ?? throw new Xunit.Sdk.XunitException($"The generator reported {d.Id} in '{path}', which is not one of the user's files.");
            var location = Location.Create(tree, d.Location.SourceSpan);
            Xunit.Assert.Equal(location.GetLineSpan().Span, d.Location.GetLineSpan().Span);
            var additional = d.AdditionalLocations.Select(l => Location.Create(input.SyntaxTrees.Single(t => t.FilePath == l.GetLineSpan().Path), l.SourceSpan));
            return Diagnostic.Create(d.Descriptor, location, additional, d.Properties, Arguments(d).Cast<object?>().ToArray());
        }).ToImmutableArray();
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
