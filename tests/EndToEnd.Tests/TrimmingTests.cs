using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// The demo published trimmed: no trim warning at all (from our assemblies, the generated code, or the sample), and
/// the trimmed program still records the whole trace. Runs everywhere, with only the .NET SDK; NativeAotTests checks
/// the Native AOT publish where a C toolchain is there to link it.
/// </summary>
public sealed class TrimmingTests
{
    [Fact]
    public async Task The_demo_publishes_trimmed_with_no_trim_warning_and_still_traces()
    {
        var output = Directory.CreateTempSubdirectory("instrumentation-trimmed-").FullName;
        try
        {
            var environment = new Dictionary<string, string?> { ["DOTNET_NOLOGO"] = "1" };
            var (publishExit, publishLog) = await ChildProcess.RunAsync("dotnet",
                ["publish", Path.Combine("samples", "AgentDemo", "AgentDemo.csproj"), "-c", "Release", "-r", "linux-x64", "-p:TrimDemo=true", "-o", output],
                RepositoryPaths.Root, environment, TimeSpan.FromMinutes(8));

            Assert.True(publishExit == 0, "Publishing trimmed failed:\n" + publishLog);
            var trimWarnings = publishLog.Split('\n').Where(line => line.Contains("warning IL", StringComparison.Ordinal)).Distinct().ToList();
            Assert.True(trimWarnings.Count == 0, "Trim warnings:\n" + string.Join("\n", trimWarnings));

            var (runExit, runLog) = await ChildProcess.RunAsync(Path.Combine(output, "AgentDemo"), [], output,
                new Dictionary<string, string?> { ["MLFLOW_TRACKING_URI"] = null, ["OPENAI_BASE_URL"] = null, ["OPENAI_API_KEY"] = null, ["OPENAI_MODEL"] = null },
                TimeSpan.FromMinutes(2));

            Assert.True(runExit == 0, "The trimmed demo failed:\n" + runLog);
            Assert.Contains("TOOL get_forecast · ", runLog);
            Assert.Contains("ERROR City not found: Atlantis", runLog);
            // The demo records with the JSON options Microsoft.Extensions.AI uses for tool results: what the model saw.
            Assert.Contains("""out: {"city":"Paris","condition":"sunny","temperatureC":18}""", runLog);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
