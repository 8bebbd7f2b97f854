using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Instrumentation.Generator.Tests.TerminalBuild;

/// <summary>One project of a terminal build: its name, its one source file, and whether it references the runtime.</summary>
internal sealed record BuildProject(string Name, string Source, bool WithRuntime = true);

/// <summary>One diagnostic line of the build's console output: <c>path(line,col): error ID: message [project]</c>.</summary>
internal sealed record BuildDiagnostic(string Path, int Line, string Severity, string Id, string Message, string Project);

/// <summary>
/// Builds small projects with a real <c>dotnet build</c>, as a user's terminal or CI does, and reads what it prints.
/// The projects live in a fresh temporary folder (outside the repository, so none of its build settings apply) and
/// reference the attributes, the runtime and the generator built beside the tests, as files: no package, no feed.
/// One traversal project restores and builds them all in one <c>dotnet build</c>, in parallel.
/// </summary>
internal static class TerminalBuild
{
    private static readonly Regex DiagnosticLine = new(
        @"^\s*(?<path>[^\s(][^(]*)\((?<line>\d+),\d+\): (?<severity>error|warning|info) (?<id>[A-Z]+\d+): (?<message>.*) \[(?<project>[^\]]+)\]\s*$",
        RegexOptions.Compiled);

    /// <summary>The bound on one whole build; far above what it takes (about 20 s on two cores).</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>
    /// Writes and builds the projects; returns every diagnostic line printed while building (before MSBuild's
    /// closing recap, which repeats them), by project name, and the whole output for failure messages.
    /// </summary>
    public static (IReadOnlyDictionary<string, List<BuildDiagnostic>> ByProject, string Output) Build(IReadOnlyList<BuildProject> projects)
    {
        var root = Path.Combine(Path.GetTempPath(), "ait-terminal-build-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);

        // Our assemblies alone in a folder, as a package delivers them: next to the test's own output MSBuild would also
        // find the test's newer OpenTelemetry and DiagnosticSource builds and warn about the conflict (MSB3277), which
        // no user with the package sees.
        var references = Path.Combine(root, "references");
        Directory.CreateDirectory(references);
        foreach (var assembly in new[] { "Instrumentation.Attributes.dll", "Instrumentation.Runtime.dll", "Instrumentation.Generator.dll" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, assembly), Path.Combine(references, assembly));
        }
        try
        {
            // Stop MSBuild looking above the folder for build settings.
            File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(root, "All.proj"), """
                <Project DefaultTargets="Build">
                  <ItemGroup><Mistake Include="*/*.csproj" /></ItemGroup>
                  <Target Name="Restore"><MSBuild Projects="@(Mistake)" Targets="Restore" BuildInParallel="true" /></Target>
                  <Target Name="Build"><MSBuild Projects="@(Mistake)" Targets="Build" BuildInParallel="true" ContinueOnError="true" /></Target>
                </Project>
                """);
            foreach (var project in projects)
            {
                var folder = Path.Combine(root, project.Name);
                Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, project.Name + ".csproj"), ProjectFile(project.WithRuntime, references));
                File.WriteAllText(Path.Combine(folder, "Program.cs"), project.Source);
            }

            var output = Run(root);
            var streamed = output.Split('\n').TakeWhile(line => !line.StartsWith("Build FAILED.", StringComparison.Ordinal)
                && !line.StartsWith("Build succeeded.", StringComparison.Ordinal));
            var byProject = projects.ToDictionary(p => p.Name, _ => new List<BuildDiagnostic>());
            foreach (var line in streamed)
            {
                var match = DiagnosticLine.Match(line.TrimEnd('\r'));
                if (match.Success)
                {
                    var diagnostic = new BuildDiagnostic(match.Groups["path"].Value, int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                        match.Groups["severity"].Value, match.Groups["id"].Value, match.Groups["message"].Value, match.Groups["project"].Value);
                    var name = Path.GetFileNameWithoutExtension(diagnostic.Project);
                    if (!byProject.TryGetValue(name, out var list))
                    {
                        throw new Xunit.Sdk.XunitException($"A diagnostic of no test project ({name}):\n{line}\n\n{output}");
                    }

                    list.Add(diagnostic);
                }
            }

            return (byProject, output);
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: the folder is in the temporary directory, which is cleaned anyway.
            }
        }
    }

    private static string ProjectFile(bool withRuntime, string bin)
    {
        var runtime = withRuntime ? $"""<Reference Include="{Path.Combine(bin, "Instrumentation.Runtime.dll")}" />""" : string.Empty;
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="{Path.Combine(bin, "Instrumentation.Attributes.dll")}" />
                {runtime}
                <Analyzer Include="{Path.Combine(bin, "Instrumentation.Generator.dll")}" />
              </ItemGroup>
            </Project>
            """;
    }

    private static string Run(string root)
    {
        // The dotnet that runs these tests; no compiler server or MSBuild node outlives the build.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "build", "All.proj", "-nologo", "-tl:off", "-m", "-nodeReuse:false", "-p:UseSharedCompilation=false" })
        {
            start.ArgumentList.Add(argument);
        }

        // The test host's MSBuild settings would point the child build at the test run's own SDK state.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + start.FileName);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"dotnet build did not finish within {Timeout.TotalMinutes} minutes:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return output.ToString();
        }
    }
}
