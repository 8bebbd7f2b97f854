using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// Follows docs/getting-started.md §1 literally, outside the repository: its <c>dotnet pack</c> lines into a folder, its
/// nuget.config, its <c>dotnet add package</c> lines in a new console project, its first program (which must print
/// what the document shows), and its <c>dotnet tool install</c> line for openclaw-bridge. The commands and files are
/// read from the document, so the document cannot drift from what works.
/// </summary>
public sealed class GettingStartedTests
{
    private const string Document = "docs/getting-started.md";
    private const string DocumentedFolder = "~/instrumentation-packages";

    [Fact]
    public async Task The_documented_local_package_steps_build_and_run_the_first_program_and_the_tool()
    {
        var guide = DocumentedText.Read(Document);
        var work = Directory.CreateTempSubdirectory("instrumentation-getting-started-").FullName;
        try
        {
            var feed = Path.Combine(work, "instrumentation-packages");
            var app = Path.Combine(work, "app");
            var environment = new Dictionary<string, string?>
            {
                // A NuGet cache of its own, so only the packed folder and the registry can serve the packages.
                ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-cache"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["MSBuildSDKsPath"] = null,
                ["MSBUILD_EXE_PATH"] = null,
                ["MLFLOW_TRACKING_URI"] = null,
            };

            async Task<string> Run(string program, IEnumerable<string> arguments, string directory)
            {
                var list = arguments.ToList();
                var (exitCode, text) = await ChildProcess.RunAsync(program, list, directory, environment, TimeSpan.FromMinutes(6));
                Assert.True(exitCode == 0, $"{program} {string.Join(' ', list)} failed ({exitCode}):\n{text}");
                return text;
            }

            var localBuild = DocumentedText.FencedBlockAfter(guide, "### Until the packages are published", "sh");
            var packs = Commands(localBuild, "dotnet pack ");
            Assert.Equal(3, packs.Count);
            foreach (var pack in packs)
            {
                await Run("dotnet", pack.Select(a => a == DocumentedFolder ? feed : a), RepositoryPaths.Root);
            }

            await Run("dotnet", ["new", "console", "-o", app, "--framework", "net10.0"], work);
            var config = DocumentedText.FencedBlockAfter(guide, "### Until the packages are published", "xml");
            Assert.Contains("/path/to/instrumentation-packages", config);
            File.WriteAllText(Path.Combine(app, "nuget.config"), config.Replace("/path/to/instrumentation-packages", feed, StringComparison.Ordinal));

            var adds = Regex.Matches(guide, "`dotnet (add package [^`]+)`").Select(m => m.Groups[1].Value.Split(' ')).ToList();
            Assert.Equal(["Instrumentation.Agents", "Instrumentation.Agents.Mlflow"], adds.Select(a => a[2]));
            foreach (var add in adds)
            {
                await Run("dotnet", add, app);
            }

            File.WriteAllText(Path.Combine(app, "Program.cs"), DocumentedText.FencedBlockAfter(guide, "A first program", "csharp"));
            await Run("dotnet", ["build"], app);
            var output = await Run("dotnet", ["run", "--no-build"], app);
            DocumentedText.AssertPrints(DocumentedText.FencedBlockAfter(guide, "`dotnet run` prints:"), output, Document);

            // The tool line, with a tool path of its own instead of --global so the test leaves the machine as it was.
            var install = Regex.Match(guide, "`dotnet tool install --global\\s+([^`]+)`", RegexOptions.RightToLeft);
            Assert.True(install.Success, $"{Document} has no `dotnet tool install --global …` line.");
            var tools = Path.Combine(work, "tools");
            await Run("dotnet", ["tool", "install", "--tool-path", tools, .. install.Groups[1].Value.Replace("\n", " ", StringComparison.Ordinal)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == DocumentedFolder ? feed : a)], work);
            var replay = await Run(Path.Combine(tools, "openclaw-bridge"), ["replay", Path.Combine(RepositoryPaths.OpenClawCaptures, "gateway-simple.jsonl")], work);
            Assert.Contains("AGENT main", replay);
            Assert.Contains("1 turns exported", replay);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The lines of a shell block starting with <paramref name="prefix"/>, without trailing comments, as
    /// arguments after the program name.</summary>
    private static List<string[]> Commands(string block, string prefix) =>
        block.Split('\n')
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Select(line => line.Split('#')[0].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray())
            .ToList();
}
