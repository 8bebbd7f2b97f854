using System;
using System.IO;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>Finds the shared OpenClaw captures: <c>../shared/openclaw-captures</c> beside the repository root.</summary>
internal static class Captures
{
    private static readonly Lazy<string> s_directory = new(Locate);

    public static string Directory => s_directory.Value;

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static string[] All() => System.IO.Directory.GetFiles(Directory, "*.jsonl");

    private static string Locate()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Instrumentation.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException($"Could not find the repository root (a folder with Instrumentation.sln) above {AppContext.BaseDirectory}.");
        }

        var captures = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "openclaw-captures"));
        if (!System.IO.Directory.Exists(captures) || System.IO.Directory.GetFiles(captures, "*.jsonl").Length == 0)
        {
            throw new InvalidOperationException(
                $"The OpenClaw captures are missing: expected *.jsonl files in {captures} (shared/openclaw-captures beside the repository).");
        }

        return captures;
    }
}
