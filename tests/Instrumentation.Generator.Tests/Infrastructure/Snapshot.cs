using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Instrumentation.Generator.Tests.Infrastructure;

/// <summary>
/// Hand-rolled golden files (the registry here serves no Verify). Files follow Verify's naming so switching later is
/// mechanical: <c>Snapshots/&lt;name&gt;.verified.cs</c> is the reviewed expectation; on a mismatch the actual text is
/// written beside it as <c>&lt;name&gt;.received.cs</c> and the test fails with a line diff. Set
/// <c>ACCEPT_SNAPSHOTS=1</c> to accept received text as the new expectation (then review the git diff).
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "ACCEPT_SNAPSHOTS";

    /// <summary>The golden files, found from the repository root: <c>[CallerFilePath]</c> is no help in CI builds,
    /// where deterministic path mapping rewrites source paths to <c>/_/</c>.</summary>
    private static string SnapshotDirectory => Path.Combine(Instrumentation.Testing.RepositoryPaths.Root, "tests", "Instrumentation.Generator.Tests", "Snapshots");

    /// <summary>
    /// What the golden files hold in place of the generator's assembly version, in its <c>[GeneratedCode]</c>
    /// attributes, so a version bump changes no snapshot (as dotnet/runtime's generator tests do). The version itself is
    /// asserted by <c>GeneratedCodeTests</c>.
    /// </summary>
    public const string VersionPlaceholder = "%VERSION%";

    private static readonly string GeneratedCodeVersion =
        "GeneratedCode(\"Instrumentation.Generator\", \"" + typeof(InstrumentationGenerator).Assembly.GetName().Version + "\")";

    public static void Match(string name, string actual)
    {
        var directory = SnapshotDirectory;
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual).Replace(GeneratedCodeVersion, "GeneratedCode(\"Instrumentation.Generator\", \"" + VersionPlaceholder + "\")", StringComparison.Ordinal);

        var expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        if (Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(received, actual);
        var message = expected is null
            ? $"No snapshot '{verified}' yet. Review '{received}', then rename it or rerun with {AcceptVariable}=1."
            : $"Generated source differs from '{verified}' (actual written to '{received}'; rerun with {AcceptVariable}=1 to accept):\n{Diff(expected, actual)}";
        throw new Xunit.Sdk.XunitException(message);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');

    /// <summary>A unified-style line diff from a longest-common-subsequence table; snapshots are small.</summary>
    internal static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var lines = new List<(char Kind, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', x + 1, a[x]));
                x++;
                y++;
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                lines.Add(('+', y + 1, b[y]));
                y++;
            }
            else
            {
                lines.Add(('-', x + 1, a[x]));
                x++;
            }
        }

        // Print changed lines with two lines of context around each.
        var output = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var near = false;
            for (var k = Math.Max(0, i - 2); k <= Math.Min(lines.Count - 1, i + 2); k++)
            {
                near |= lines[k].Kind != ' ';
            }

            if (near)
            {
                output.Append(lines[i].Kind).Append(' ').Append(lines[i].Line.ToString().PadLeft(4)).Append(" | ").AppendLine(lines[i].Text);
            }
        }

        return output.ToString();
    }
}
