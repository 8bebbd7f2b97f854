using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Instrumentation.Generator.Diagnostics;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>docs/diagnostics.md against the descriptors and the test sources: nothing undocumented, nothing stale.</summary>
public sealed class DiagnosticsDocumentationTests
{
    [Fact]
    public void Every_diagnostic_is_documented_with_tests_that_exist()
    {
        var root = RepositoryRoot();
        var docs = File.ReadAllText(Path.Combine(root, "docs", "diagnostics.md"));
        var testSources = string.Join("\n", Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(File.ReadAllText));

        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            var id = descriptor.Id;

            // A row in the summary table, a section with the exact title, severity and category, and the help link's anchor.
            Assert.Contains($"| [{id}](#{id.ToLowerInvariant()}) | {descriptor.DefaultSeverity} | {descriptor.Category} | {descriptor.Title} |", docs);
            Assert.Contains($"<a id=\"{id.ToLowerInvariant()}\"></a>\n### {id}: {descriptor.Title}\n\n{descriptor.DefaultSeverity}, {descriptor.Category}.", docs.Replace("\r\n", "\n"));
            Assert.EndsWith("docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);

            // Its section names at least one test of the diagnostic, and every test it names exists.
            var section = Section(docs, id);
            var tests = Regex.Matches(section, @"`(\w+Tests)\.(\w+)`").Cast<Match>().Select(m => (Class: m.Groups[1].Value, Method: m.Groups[2].Value)).ToList();
            Assert.Contains(tests, t => t.Method.StartsWith(id + "_", StringComparison.Ordinal));
            foreach (var (type, method) in tests)
            {
                Assert.True(Regex.IsMatch(testSources, @"class " + type + @"\b") && Regex.IsMatch(testSources, @"\s(void|Task) " + method + @"\("),
                    $"docs/diagnostics.md names {type}.{method} under {id}, which is not a test.");
            }
        }

        // No section for an ID that does not exist.
        foreach (Match match in Regex.Matches(docs, @"<a id=""(ait\d{3})""></a>"))
        {
            Assert.Contains(DiagnosticDescriptors.All, d => d.Id.ToLowerInvariant() == match.Groups[1].Value);
        }
    }

    private static string Section(string docs, string id)
    {
        var start = docs.IndexOf($"<a id=\"{id.ToLowerInvariant()}\"></a>", StringComparison.Ordinal);
        var end = docs.IndexOf("<a id=\"ait", start + 1, StringComparison.Ordinal);
        var tail = docs.IndexOf("\n## ", start, StringComparison.Ordinal);
        end = end < 0 ? tail : tail < 0 ? end : Math.Min(end, tail);
        return end < 0 ? docs.Substring(start) : docs.Substring(start, end - start);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Instrumentation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Instrumentation.sln not found above " + AppContext.BaseDirectory);
    }
}
