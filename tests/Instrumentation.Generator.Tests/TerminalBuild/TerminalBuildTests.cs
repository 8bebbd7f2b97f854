using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Instrumentation.Generator.Tests.TerminalBuild;

/// <summary>
/// What a user sees in a terminal or CI build: one small project per mistake, built together by a real
/// <c>dotnet build</c>. Each of our diagnostics appears once, on the line the mistake is on, beside the compiler's own
/// (CS8795 and the like, which stop the compiler before any analyzer runs), and nothing points into generated code.
/// </summary>
/// <remarks>
/// A line that must carry diagnostics ends with <c>// expect: ID, ID</c>; every diagnostic printed for the project
/// must be one of those, and every one of those must be printed, ours exactly once.
/// </remarks>
public sealed class TerminalBuildTests
{
    private const string Header = "using System;\nusing System.Threading.Tasks;\nusing Instrumentation;\n\nnamespace Mistakes;\n\n";

    private static readonly BuildProject[] Projects =
    [
        new("Clean", Header + """
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);
                private int AddCore(int a, int b) => a + b;
            }
            """),
        new("TypeNotPartial", Header + """
            public class Calculator
            {
                [Tool] public partial int Add(int a, int b); // expect: AIT003, CS0751, CS8795
                private int AddCore(int a, int b) => a + b;
            }
            """),
        new("BodyMisnamed", Header + """
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b); // expect: AIT004, CS8795
                private int AddCroe(int a, int b) => a + b;
            }
            """),
        new("BodyDiffers", Header + """
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b); // expect: AIT005, CS8795
                private long AddCore(int a, long b) => a + b;
            }
            """),
        new("OutParameter", Header + """
            public partial class Parser
            {
                [Tool] public partial bool TryParse(string text, out int value); // expect: AIT006, CS8795
                private bool TryParseCore(string text, out int value) => int.TryParse(text, out value);
            }
            """),
        new("PartialWithBody", Header + """
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b) => a + b; // expect: AIT002, CS0759
            }
            """),
        new("TwoAttributes", Header + """
            public partial class Assistant
            {
                [Tool][LlmCall] public partial string Ask(string prompt); // expect: AIT007, CS8795
                private string AskCore(string prompt) => prompt;
            }
            """),
        new("NoRuntime", Header + """
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b); // expect: AIT010, CS8795
                private int AddCore(int a, int b) => a + b;
            }
            """, WithRuntime: false),
        new("MisspeltType", Header + """
            public partial class Echo
            {
                [Tool] public partial Strng Say(string text); // expect: CS0246, CS8795
                private Strng SayCore(string text) => text; // expect: CS0246
            }
            """),
        new("CopiedDeclaration", Header + """
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);
                [Tool] public partial int Add(int a, int b); // expect: CS0111, CS0756
                private int AddCore(int a, int b) => a + b;
            }
            """),
        new("AsyncVoidBody", Header + """
            public partial class Worker
            {
                [Tool] public partial void Fire(string job); // expect: AIT012, CS8795
                private async void FireCore(string job) => await Task.Yield();
            }
            """),
        new("NoTokenUsage", Header + """
            public partial class Assistant
            {
                [LlmCall] public partial Task<string> AskAsync(string prompt); // expect: AIT009
                private Task<string> AskAsyncCore(string prompt) => Task.FromResult(prompt);
            }
            """),
        new("OrdinaryMethod", Header + """
            public class Calculator
            {
                [Tool] public int Add(int a, int b) => a + b; // expect: AIT001
            }
            """),
    ];

    private static readonly Lazy<(IReadOnlyDictionary<string, List<BuildDiagnostic>> ByProject, string Output)> s_build = new(() => TerminalBuild.Build(Projects));

    public static TheoryData<string> Names => new(Projects.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void A_terminal_build_prints_each_diagnostic_once_on_the_users_line(string name)
    {
        var project = Projects.Single(p => p.Name == name);
        var (byProject, output) = s_build.Value;
        var printed = byProject[name];
        var context = $"\n\nPrinted for {name}:\n{string.Join("\n", printed.Select(d => $"  {d.Line}: {d.Severity} {d.Id}: {d.Message}"))}\n\nWhole build:\n{output}";

        // Nothing is about a generated file (or any file but the user's).
        Assert.All(printed, d => Assert.True(d.Path.EndsWith("/" + name + "/Program.cs", StringComparison.Ordinal), $"{d.Id} points at {d.Path}.{context}"));

        // Exactly the expected diagnostics, each on its line; ours exactly once each.
        var expected = Expected(project.Source);
        var actual = printed.Select(d => (d.Line, d.Id)).OrderBy(e => e.Line).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        Assert.True(expected.SequenceEqual(actual.Distinct()), $"Expected {Describe(expected)}, printed {Describe(actual)}.{context}");
        Assert.True(actual.Where(e => e.Id.StartsWith("AIT", StringComparison.Ordinal)).GroupBy(e => e).All(g => g.Count() == 1),
            $"One of ours was printed more than once: {Describe(actual)}.{context}");
    }

    private static List<(int Line, string Id)> Expected(string source)
    {
        var lines = source.Split('\n');
        var expected = new List<(int Line, string Id)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var match = Regex.Match(lines[i], @"// expect: (?<ids>[A-Z0-9, ]+)\s*$");
            if (match.Success)
            {
                expected.AddRange(match.Groups["ids"].Value.Split(',').Select(id => (i + 1, id.Trim())));
            }
        }

        return expected.OrderBy(e => e.Line).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
    }

    private static string Describe(IEnumerable<(int Line, string Id)> diagnostics) =>
        "[" + string.Join(", ", diagnostics.Select(d => $"{d.Id}@{d.Line}")) + "]";
}
