using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Instrumentation.Testing;

namespace EndToEnd.Tests;

/// <summary>
/// Reads code and sample output out of the repository's Markdown, so the tests run what the documents show and compare
/// what the documents say a program prints with what it prints.
/// </summary>
internal static class DocumentedText
{
    /// <summary>What changes from run to run of the same program, and nothing else: the trace id, durations and the
    /// user (the OS user name the demo records).</summary>
    private static readonly (Regex Pattern, string Mask)[] s_variable =
    {
        (new Regex(@"\btr-[0-9a-f]{32}\b"), "tr-<trace id>"),
        (new Regex(@"· \d+(?:\.\d+)? (?:µs|ms|s|min) ·"), "· <duration> ·"),
        (new Regex(@"· user \S+$"), "· user <OS user>"),
    };

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath));

    /// <summary>The body of the first fenced block (<c>```language</c>) after the first line containing
    /// <paramref name="marker"/>.</summary>
    public static string FencedBlockAfter(string markdown, string marker, string language = "")
    {
        var start = markdown.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"The document has no '{marker}'.");
        var match = new Regex($@"^```{Regex.Escape(language)}\r?\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)
            .Match(markdown, start);
        Assert.True(match.Success, $"The document has no ```{language} block after '{marker}'.");
        return match.Groups[1].Value;
    }

    /// <summary>Lines with <see cref="s_variable"/> masked and trailing white space and blank last lines dropped.</summary>
    public static List<string> Masked(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')
            .Select(line => s_variable.Aggregate(line.TrimEnd(), (current, v) => v.Pattern.Replace(current, v.Mask)))
            .ToList();

    /// <summary>Fails, naming the first line that differs, unless <paramref name="actual"/> prints what
    /// <paramref name="documented"/> shows (after masking).</summary>
    public static void AssertPrints(string documented, string actual, string document)
    {
        var expected = Masked(documented);
        var lines = Masked(actual);
        var first = Enumerable.Range(0, Math.Max(expected.Count, lines.Count))
            .FirstOrDefault(i => i >= expected.Count || i >= lines.Count || expected[i] != lines[i], -1);
        if (first >= 0)
        {
            Assert.Fail(
                $"{document}'s sample output differs from what the program printed, at line {first + 1}:\n" +
                $"  {document}: {(first < expected.Count ? expected[first] : "(no more lines)")}\n" +
                $"  program: {(first < lines.Count ? lines[first] : "(no more lines)")}\n" +
                "The program printed:\n" + actual);
        }
    }
}
