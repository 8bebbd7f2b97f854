using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The demo published with Native AOT: no trim, AOT or ILC warning (from our assemblies, the generated code or the
/// sample), and the native program prints the same trace as the JIT-compiled one, masked as ReadmeTests masks it.
/// </summary>
/// <remarks>
/// The SDK brings the AOT compiler (ILCompiler) and the NativeAOT runtime pack from the package registry, and the
/// runtime pack carries its own zlib; what the machine must have is a C toolchain to link with: <c>clang</c>, or
/// <c>gcc</c> (which ILCompiler falls back to), with the C library's development files and binutils. CI installs clang
/// when neither is on PATH (.ci/run), so there a missing toolchain fails the test. Elsewhere it skips, saying what to
/// install, so the README's <c>dotnet test</c> still passes on a machine with only the .NET SDK.
/// </remarks>
public sealed class NativeAotTests
{
    [Fact]
    public async Task The_demo_publishes_with_native_AOT_with_no_warning_and_prints_the_JIT_trace()
    {
        RequireLinker();
        var output = Directory.CreateTempSubdirectory("instrumentation-aot-").FullName;
        try
        {
            var (publishExit, publishLog) = await ChildProcess.RunAsync("dotnet",
                ["publish", Path.Combine("samples", "AgentDemo", "AgentDemo.csproj"), "-c", "Release", "-r", "linux-x64", "-p:AotDemo=true", "-o", output],
                RepositoryPaths.Root, new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" }, TimeSpan.FromMinutes(15));

            Assert.True(publishExit == 0, "Publishing with Native AOT failed:\n" + publishLog);
            // IL2xxx (trimming), IL3xxx (AOT) and the ILC compiler's own warnings all read "warning IL"; any other
            // warning (a linker's, NuGet's) is named too.
            var warnings = publishLog.Split('\n').Where(line => line.Contains(": warning ", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(warnings.Count == 0, "Native AOT publish warnings:\n" + string.Join("\n", warnings));
            var native = Path.Combine(output, "AgentDemo");
            Assert.True(File.Exists(native) && !File.Exists(Path.Combine(output, "AgentDemo.dll")),
                "The publish did not produce a native executable only:\n" + string.Join("\n", Directory.GetFiles(output)));

            var (nativeExit, nativeOutput) = await ChildProcess.RunAsync(native, [], output, ReadmeTests.OfflineEnvironment, TimeSpan.FromMinutes(2));
            var (jitExit, jitOutput) = await ChildProcess.RunAsync("dotnet", [DemoTraceTests.DemoAssembly], RepositoryPaths.Root, ReadmeTests.OfflineEnvironment, TimeSpan.FromMinutes(2));

            Assert.True(nativeExit == 0, "The native demo failed:\n" + nativeOutput);
            Assert.True(jitExit == 0, "The JIT-compiled demo failed:\n" + jitOutput);
            Assert.Contains("TOOL get_forecast · ", nativeOutput);
            Assert.Equal(DocumentedText.Masked(jitOutput), DocumentedText.Masked(nativeOutput));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Skips (fails under CI, which installs one) when neither linker ILCompiler looks for is on PATH.</summary>
    private static void RequireLinker()
    {
        if (ChildProcess.Find("clang") is not null || ChildProcess.Find("gcc") is not null)
        {
            return;
        }

        const string Missing = "Native AOT needs a C toolchain to link the demo, and neither clang nor gcc is on PATH. "
            + "On Debian or Ubuntu: `apt-get install clang` (it brings binutils and the C library's headers); "
            + "see docs/getting-started.md §7.";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(Missing + " CI (.ci/run) installs clang before the tests, so it should be here.");
        }

        Assert.Skip(Missing + " The Native AOT publish was not tried.");
    }
}
