using System;
using System.IO;
using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>The shared OpenClaw captures: <c>openclaw-captures</c> in <see cref="RepositoryPaths.Shared"/>.</summary>
internal static class Captures
{
    private static readonly Lazy<string> s_directory = new(Locate);

    public static string Directory => s_directory.Value;

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static string[] All() => System.IO.Directory.GetFiles(Directory, "*.jsonl");

    private static string Locate()
    {
        var captures = Path.Combine(RepositoryPaths.Shared, "openclaw-captures");
        if (!System.IO.Directory.Exists(captures) || System.IO.Directory.GetFiles(captures, "*.jsonl").Length == 0)
        {
            throw new InvalidOperationException(
                $"The OpenClaw captures are missing: expected *.jsonl files in {captures} (shared/openclaw-captures beside the repository).");
        }

        return captures;
    }
}
