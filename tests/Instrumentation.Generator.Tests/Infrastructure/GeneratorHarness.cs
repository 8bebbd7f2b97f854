using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Instrumentation.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Instrumentation.Generator.Tests.Infrastructure;

/// <summary>
/// Compiles a user program in memory with the instrumentation generator, the way the compiler does in a real build:
/// the program references the attributes and the runtime, and the generator's output joins the compilation.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static GeneratorRun Run(string source, LanguageVersion languageVersion = LanguageVersion.Latest, bool withRuntime = true) =>
        Run(new[] { ("UserProgram.cs", source) }, languageVersion, withRuntime);

    /// <summary>Compiles several files (path and text) with the generator.</summary>
    public static GeneratorRun Run(IEnumerable<(string Path, string Source)> sources, LanguageVersion languageVersion = LanguageVersion.Latest, bool withRuntime = true)
    {
        var parseOptions = new CSharpParseOptions(languageVersion);
        var compilation = CreateCompilation(sources, parseOptions, withRuntime);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            generators: new[] { new InstrumentationGenerator().AsSourceGenerator() },
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(compilation, output, driver, generatorDiagnostics);
    }

    public static CSharpCompilation CreateCompilation(string source, CSharpParseOptions parseOptions, bool withRuntime = true) =>
        CreateCompilation(new[] { ("UserProgram.cs", source) }, parseOptions, withRuntime);

    public static CSharpCompilation CreateCompilation(IEnumerable<(string Path, string Source)> sources, CSharpParseOptions parseOptions, bool withRuntime = true)
    {
        var references = withRuntime
            ? References
            : References.Where(r => !Path.GetFileName(r.Display ?? string.Empty).StartsWith("Instrumentation.Runtime", StringComparison.Ordinal)).ToImmutableArray();
        return CSharpCompilation.Create(
            "UserProgram" + Guid.NewGuid().ToString("N"),
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Source, parseOptions, path: s.Path)),
            references,
            CompilationOptions);
    }

    /// <summary>The options every user program compiles with. CS1701 and CS1702 (a reference built against an older
    /// version of an assembly, here the runtime against the framework's System.Diagnostics.DiagnosticSource while the
    /// OpenTelemetry SDK beside the tests brings a newer one) are off, as the .NET SDK's default NoWarn has them.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release,
                nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            });

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The framework, then every library beside the tests that the framework does not already provide: our
        // attributes and runtime, and the model SDKs a user program may call (with System.ClientModel and friends).
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
            .ToList();
        var platformNames = new HashSet<string>(platform.Select(Path.GetFileName)!, StringComparer.OrdinalIgnoreCase);
        var libraries = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(path => !platformNames.Contains(Path.GetFileName(path)))
            .Where(path => Path.GetFileName(path) is var name
                && (name.StartsWith("Instrumentation.", StringComparison.Ordinal) && !name.Contains("Tests") && !name.Contains("Generator") && !name.Contains("CodeFixes")
                    || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)
                    || name is "OpenAI.dll" or "Anthropic.dll" or "System.ClientModel.dll" or "System.Memory.Data.dll"));
        return platform.Concat(libraries)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    }
}

/// <summary>The result of one generator run: the input and output compilations and what the generator produced.</summary>
internal sealed class GeneratorRun
{
    public GeneratorRun(Compilation input, Compilation output, GeneratorDriver driver, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Input = input;
        Output = output;
        Driver = driver;
        GeneratorDiagnostics = generatorDiagnostics;
    }

    public Compilation Input { get; }

    public Compilation Output { get; }

    public GeneratorDriver Driver { get; }

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>The hint name of the one file the generator adds to every compilation (post-initialization).</summary>
    public const string EmbeddedAttributeHintName = "Microsoft.CodeAnalysis.EmbeddedAttribute.cs";

    /// <summary>The files generated for this program, by hint name: every file but the constant
    /// <see cref="EmbeddedAttributeHintName"/>.</summary>
    public IReadOnlyDictionary<string, string> GeneratedSources =>
        Driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources)
            .Where(s => s.HintName != EmbeddedAttributeHintName)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Every diagnostic of the final compilation at warning level or above, plus the generator's own.</summary>
    public IReadOnlyList<Diagnostic> Problems =>
        Output.GetDiagnostics().Concat(GeneratorDiagnostics)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .ToList();

    /// <summary>Fails with every problem listed when the output does not compile cleanly.</summary>
    public GeneratorRun AssertCompilesCleanly()
    {
        var problems = Problems;
        if (problems.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The program with generated code does not compile cleanly:\n"
                + string.Join("\n", problems.Select(d => d.ToString()))
                + "\n\nGenerated:\n" + string.Join("\n\n", GeneratedSources.Select(s => "// " + s.Key + "\n" + s.Value)));
        }

        return this;
    }

    /// <summary>Emits the output compilation and loads it into this process, sharing its runtime assembly (and so its
    /// ActivitySource) with the tests.</summary>
    public Assembly Load()
    {
        AssertCompilesCleanly();
        using var image = new MemoryStream();
        var emit = Output.Emit(image);
        if (!emit.Success)
        {
            throw new Xunit.Sdk.XunitException("Emit failed:\n" + string.Join("\n", emit.Diagnostics));
        }

        return Assembly.Load(image.ToArray());
    }
}
