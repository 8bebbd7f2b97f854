using System;
using System.IO;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>The OpenClaw captures in <see cref="RepositoryPaths.OpenClawCaptures"/> (<c>tests/data/openclaw-captures</c>).</summary>
internal static class Captures
{
    private static readonly Lazy<string> s_directory = new(Locate);

    public static string Directory => s_directory.Value;

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static string[] All() => System.IO.Directory.GetFiles(Directory, "*.jsonl");

    private static string Locate()
    {
        var captures = RepositoryPaths.OpenClawCaptures;
        if (!System.IO.Directory.Exists(captures) || System.IO.Directory.GetFiles(captures, "*.jsonl").Length == 0)
        {
            throw new InvalidOperationException(
                $"The OpenClaw captures are missing: expected *.jsonl files in {captures} (tests/data/openclaw-captures in the repository).");
        }

        return captures;
    }
}
