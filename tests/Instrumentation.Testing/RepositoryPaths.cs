using System;
using System.IO;

namespace Instrumentation.Testing;

/// <summary>Where the repository and its test data are, from a test's output folder. Everything a test reads lives inside
/// the repository, so a fresh clone with nothing beside it passes.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding <c>Instrumentation.sln</c>.</summary>
    public static string Root => s_root.Value;

    /// <summary>The OpenClaw 2026.9.6 hook recordings the tests and benchmarks replay: <c>tests/data/openclaw-captures</c>
    /// (its README says what each one is). The plugin's Node tests read the same folder.</summary>
    public static string OpenClawCaptures => Path.Combine(Root, "tests", "data", "openclaw-captures");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Instrumentation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder with Instrumentation.sln above {AppContext.BaseDirectory}.");
    }
}
