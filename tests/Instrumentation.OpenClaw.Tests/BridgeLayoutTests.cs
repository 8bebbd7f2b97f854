using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>
/// The bridge's layout is its architecture (docs/architecture.md, "OpenClaw bridge"): one folder per stage, data flowing
/// Input → Correlation → Scheduling → Emission. A stage's code may use the types of the stages before it, never those
/// after it; and no source file is over 500 lines.
/// </summary>
public sealed class BridgeLayoutTests
{
    private static readonly string[] s_stages = ["Input", "Correlation", "Scheduling", "Emission"];

    private static string Source => Path.Combine(RepositoryPaths.Root, "src", "Instrumentation.OpenClaw");

    /// <summary>The code of a file without its comments (comments may name any stage).</summary>
    private static string Code(string file) =>
        string.Join('\n', File.ReadLines(file).Select(line => Regex.Replace(line, @"//.*$", string.Empty)));

    [Fact]
    public void No_stage_names_a_later_stage()
    {
        var violations = new List<string>();
        for (var i = 0; i < s_stages.Length; i++)
        {
            var folder = Path.Combine(Source, s_stages[i]);
            Assert.True(Directory.Exists(folder), $"src/Instrumentation.OpenClaw/{s_stages[i]} is missing");
            foreach (var file in Directory.GetFiles(folder, "*.cs"))
            {
                var code = Code(file);
                foreach (var later in s_stages.Skip(i + 1))
                {
                    if (Regex.IsMatch(code, $@"\bInstrumentation\.OpenClaw\.{later}\b|\b{later}\.[A-Z]"))
                    {
                        violations.Add($"{s_stages[i]}/{Path.GetFileName(file)} names {later}");
                    }
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    /// <summary>Correlation's builders (the mutable state of runs in flight, and its live sub-agent links) never leave
    /// it: Scheduling and Emission get the frozen <c>CompletedTurn</c> and link snapshots instead.</summary>
    [Fact]
    public void Only_correlation_names_its_builders()
    {
        var builders = new[] { "TurnBuilders.cs", "SubagentLink.cs" }
            .SelectMany(file => Regex.Matches(Code(Path.Combine(Source, "Correlation", file)), @"\b(?:class|record|struct)\s+(\w+)"))
            .Select(match => match.Groups[1].Value)
            .ToList();
        Assert.Contains("TurnBuilder", builders);
        Assert.Contains("SubagentLink", builders);

        var violations = new List<string>();
        foreach (var stage in s_stages.Where(stage => stage != "Correlation"))
        {
            foreach (var file in Directory.GetFiles(Path.Combine(Source, stage), "*.cs"))
            {
                var code = Code(file);
                violations.AddRange(builders.Where(builder => Regex.IsMatch(code, $@"\b{builder}\b"))
                    .Select(builder => $"{stage}/{Path.GetFileName(file)} names {builder}"));
            }
        }

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void No_bridge_source_file_is_over_500_lines()
    {
        var sources = new[] { Source, Path.Combine(RepositoryPaths.Root, "src", "Instrumentation.OpenClaw.Cli") }
            .SelectMany(folder => Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        Assert.True(sources.Count > 20, $"only {sources.Count} bridge sources found");
        var tooLong = sources.Select(file => (file, lines: File.ReadLines(file).Count())).Where(f => f.lines > 500)
            .Select(f => $"{Path.GetRelativePath(RepositoryPaths.Root, f.file)}: {f.lines} lines").ToList();
        Assert.True(tooLong.Count == 0, string.Join('\n', tooLong));
    }
}
