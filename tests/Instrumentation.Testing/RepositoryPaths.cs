using System;
using System.IO;

namespace Instrumentation.Testing;

/// <summary>Where the repository and the shared test inputs (<c>../shared</c> beside it) are, from a test's output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder holding <c>Instrumentation.sln</c>.</summary>
    public static string Root => s_root.Value;

    /// <summary>The shared folder beside the repository (<c>../shared</c>), holding the MLflow contract and the OpenClaw
    /// captures.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

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
