using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// A fresh clone with nothing beside it must build, test and read: no file may point outside the repository (a
/// sibling folder, this machine's absolute paths, someone's home folder), every relative Markdown link must reach a
/// file, and every § citation of docs/openclaw-hooks.md or docs/mlflow-contract.md must name a section that exists.
/// </summary>
public sealed class RepositoryStandsAloneTests
{
    /// <summary>Build outputs and tool state, not the repository's content.</summary>
    private static readonly HashSet<string> s_skippedFolders = new(StringComparer.Ordinal)
    {
        ".git", "bin", "obj", "node_modules", "artifacts", "TestResults", "BenchmarkDotNet.Artifacts", ".vs",
    };

    /// <summary>Absolute paths that only exist on one machine: the build machine's work folder and a person's home
    /// folder (a name of two or more characters, so a test's placeholder <c>/home/u</c> passes).</summary>
    private static readonly Regex s_machinePath = new(
        @"(?<![\w.~-])(/work/|/home/[A-Za-z][\w.-]+|/Users/[A-Za-z][\w.-]+|[A-Za-z]:\\+Users\\+[A-Za-z])", RegexOptions.Compiled);

    /// <summary>A relative path climbing with <c>../</c>: resolved against the file's folder, it must stay inside.</summary>
    private static readonly Regex s_climb = new(@"(?<![\w.])(?:\.\.[/\\])+", RegexOptions.Compiled);

    /// <summary>The notes, captures and design folder that used to live beside the repository.</summary>
    private static readonly Regex s_oldSharedFolder = new(
        @"(?<![\w-])shared[/\\](openclaw-hooks|mlflow-contract|openclaw-captures|design\.md)|""\.\.""\s*,\s*""shared""", RegexOptions.Compiled);

    [Fact]
    public void No_file_references_a_path_outside_the_repository()
    {
        var problems = new List<string>();
        foreach (var (path, lines) in TextFiles())
        {
            var folder = Path.GetDirectoryName(path)!;
            for (var i = 0; i < lines.Length; i++)
            {
                var where = $"{Relative(path)}, line {i + 1}";
                foreach (Match match in s_machinePath.Matches(lines[i]))
                {
                    problems.Add($"{where}: absolute path '{match.Value}' exists only on one machine");
                }

                foreach (Match match in s_oldSharedFolder.Matches(lines[i]))
                {
                    problems.Add($"{where}: '{match.Value}' points at the old shared folder beside the repository");
                }

                foreach (Match match in s_climb.Matches(lines[i]))
                {
                    var target = Path.GetFullPath(Path.Combine(folder, match.Value));
                    if (!IsInside(target))
                    {
                        problems.Add($"{where}: '{match.Value}' climbs out of the repository (to {target})");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, "Paths outside the repository:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_relative_markdown_link_reaches_a_file_in_the_repository()
    {
        var link = new Regex(@"\]\((?!https?:|mailto:|#)([^)\s#]+)(#[^)\s]*)?\)");
        var problems = new List<string>();
        foreach (var (path, lines) in TextFiles().Where(f => f.Path.EndsWith(".md", StringComparison.Ordinal)))
        {
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match match in link.Matches(lines[i]))
                {
                    var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(match.Groups[1].Value)));
                    if (!IsInside(target) || !(File.Exists(target) || Directory.Exists(target)))
                    {
                        problems.Add($"{Relative(path)}, line {i + 1}: the link '{match.Groups[1].Value}' reaches no file in the repository");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, "Broken links:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_section_citation_names_a_section_of_the_cited_document()
    {
        var sections = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["openclaw-hooks"] = SectionsOf("openclaw-hooks.md"),
            ["mlflow-contract"] = SectionsOf("mlflow-contract.md"),
        };

        // "openclaw-hooks.md §4", "[mlflow-contract.md](mlflow-contract.md) §3", and bare "§5.5" after them on the line.
        var citation = new Regex(@"(?:(openclaw-hooks|mlflow-contract)(?:\.md)?(?:\]\([^)]*\))?\s+)?§(\d+(?:\.\d+)?)");
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var (path, lines) in TextFiles())
        {
            var bareMeans = BareSectionsRefer(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var document = bareMeans;
                foreach (Match match in citation.Matches(lines[i]))
                {
                    if (match.Groups[1].Success)
                    {
                        document = match.Groups[1].Value;
                    }

                    if (document is null)
                    {
                        continue;
                    }

                    checkedCount++;
                    if (!sections[document].Contains(match.Groups[2].Value))
                    {
                        problems.Add($"{Relative(path)}, line {i + 1}: §{match.Groups[2].Value} is not a section of docs/{document}.md");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, "Citations of missing sections:\n" + string.Join('\n', problems));
        Assert.True(checkedCount > 100, $"Only {checkedCount} citations found: the pattern no longer matches how the code cites.");
    }

    /// <summary>Which document a bare "§N" cites in this file: the bridge's code and docs cite the hook notes
    /// (docs/openclaw-bridge.md says so), each note cites itself, and elsewhere a bare § is the file's own section.</summary>
    private static string? BareSectionsRefer(string path)
    {
        var relative = Relative(path);
        if (relative.StartsWith("src/Instrumentation.OpenClaw/", StringComparison.Ordinal)
            || relative.StartsWith("tests/Instrumentation.OpenClaw.Tests/", StringComparison.Ordinal)
            || relative is "docs/openclaw-bridge.md" or "docs/openclaw-hooks.md")
        {
            return "openclaw-hooks";
        }

        return relative == "docs/mlflow-contract.md" ? "mlflow-contract" : null;
    }

    /// <summary>The numbers of a document's numbered headings: "## 5. Pitfalls" gives 5, "### 5.3 ..." gives 5.3.</summary>
    private static HashSet<string> SectionsOf(string document)
    {
        var heading = new Regex(@"^#{2,3}\s+(\d+(?:\.\d+)?)\.?\s", RegexOptions.Multiline);
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", document));
        var numbers = heading.Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.True(numbers.Count > 3, $"docs/{document} has no numbered sections");
        return numbers;
    }

    private static IEnumerable<(string Path, string[] Lines)> TextFiles()
    {
        var self = Path.Combine(RepositoryPaths.Root, "tests", "EndToEnd.Tests", nameof(RepositoryStandsAloneTests) + ".cs");
        var pending = new Stack<string>();
        pending.Push(RepositoryPaths.Root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (!s_skippedFolders.Contains(Path.GetFileName(child)))
                {
                    pending.Push(child);
                }
            }

            foreach (var file in Directory.EnumerateFiles(folder))
            {
                // The worktree's ".git" file names the main repository's folder; this file spells the patterns out.
                if (Path.GetFileName(file) == ".git" || file == self)
                {
                    continue;
                }

                var bytes = File.ReadAllBytes(file);
                if (Array.IndexOf(bytes, (byte)0) < 0)
                {
                    yield return (file, System.Text.Encoding.UTF8.GetString(bytes).Split('\n'));
                }
            }
        }
    }

    private static bool IsInside(string fullPath)
    {
        var root = Path.TrimEndingDirectorySeparator(RepositoryPaths.Root);
        return fullPath == root || fullPath.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryPaths.Root, path).Replace('\\', '/');
}
