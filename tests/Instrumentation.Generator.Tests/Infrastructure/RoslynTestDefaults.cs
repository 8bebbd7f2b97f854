using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Instrumentation.Generator.Tests.Infrastructure;

/// <summary>
/// What every test built on the Roslyn test frameworks (Microsoft.CodeAnalysis.*.Testing) shares with the hand-written
/// harness: the same references (this process's framework, our attributes and runtime, the model SDKs; no reference
/// package is downloaded) and the generator running beside the analyzer, as in the IDE and the build.
/// </summary>
internal static class RoslynTestDefaults
{
    /// <summary>No package: <see cref="Apply"/> adds the assemblies themselves.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    /// <summary>The generator, for <c>GetSourceGenerators</c>.</summary>
    public static IEnumerable<Type> SourceGenerators { get; } = new[] { typeof(InstrumentationGenerator) };

    /// <summary>Gives a test the harness's references. The generated files are asserted by the golden snapshots, not
    /// here: a test built on these frameworks asserts diagnostics and fixed code.</summary>
    public static void Apply<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = ReferenceAssemblies;
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
    }
}
