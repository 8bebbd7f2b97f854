using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// "Add one package reference" is the whole setup: pack, create a new console project, reference only the main
/// package from a local folder (with a NuGet cache of its own, so nothing installed earlier can help), write a partial
/// method with [Tool], build, run, and see the TOOL span; and the analyzers in the same package report an ordinary
/// [Tool] method.
/// </summary>
public sealed class PackageTests
{
    private const string Program = """
        using System;
        using System.Diagnostics;
        using Instrumentation;

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Instrumentation.Agents",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = span => Console.WriteLine($"span {span.GetTagItem("mlflow.spanType")} {span.DisplayName} {span.GetTagItem("mlflow.spanInputs")} {span.GetTagItem("mlflow.spanOutputs")}"),
        };
        ActivitySource.AddActivityListener(listener);

        Console.WriteLine("sum " + new Calculator().Add(2, 3));

        public partial class Calculator
        {
            [Tool(Description = "Adds two numbers.")]
            public partial int Add(int a, int b);

            private int AddCore(int a, int b) => a + b;

            // Not partial: the analyzer, shipped in the same package, says so (AIT001).
            [Tool]
            public int Subtract(int a, int b) => a - b;
        }
        """;

    [Fact]
    public async Task A_new_console_project_with_only_the_package_reference_emits_a_tool_span()
    {
        var work = Directory.CreateTempSubdirectory("instrumentation-package-").FullName;
        try
        {
            var feed = Path.Combine(work, "feed");
            var app = Path.Combine(work, "app");
            var environment = new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = Path.Combine(work, "nuget-cache"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                ["MSBuildSDKsPath"] = null,
                ["MSBUILD_EXE_PATH"] = null,
            };
            var timeout = TimeSpan.FromMinutes(6);

            await Run(["pack", Path.Combine(RepositoryPaths.Root, "src", "Instrumentation.Runtime", "Instrumentation.Runtime.csproj"), "-c", "Release", "-o", feed], RepositoryPaths.Root);
            await Run(["new", "console", "-o", app, "--framework", "net10.0"], work);
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await Run(["add", "package", "Instrumentation.Agents", "--version", "0.1.0"], app);
            File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
            var build = await Run(["build", "--no-incremental"], app);
            var output = await Run(["run", "--no-build"], app);

            var ait001 = System.Text.RegularExpressions.Regex.Matches(build, @"Program\.cs\(\d+,\d+\): warning AIT001: 'Subtract'")
                .Select(m => m.Value).Distinct().ToList();
            Assert.Single(ait001);
            Assert.Contains("sum 5", output);
            Assert.Contains("""span TOOL Add {"a":2,"b":3} 5""", output);
            var project = File.ReadAllText(Path.Combine(app, "app.csproj"));
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(project, "<PackageReference "));

            async Task<string> Run(string[] arguments, string directory)
            {
                var (exitCode, text) = await ChildProcess.RunAsync("dotnet", arguments, directory, environment, timeout);
                Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{text}");
                return text;
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
