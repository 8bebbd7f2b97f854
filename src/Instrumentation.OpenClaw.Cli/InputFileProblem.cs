using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// Why an input file cannot be read, as one sentence for the user: the file, what is wrong with it, and for a
/// permission problem its mode and the user the bridge runs as. The plugin writes its spool with mode 0600, so a bridge
/// started by another user than OpenClaw's is the likely cause, and the sentence says so.
/// </summary>
internal static class InputFileProblem
{
    /// <summary>What is wrong with <paramref name="path"/> before opening it: missing (and whether its folder is), a
    /// directory; <see langword="null"/> when it exists as a file.</summary>
    public static string? BeforeOpening(string path)
    {
        if (Directory.Exists(path))
        {
            return $"{path}: is a directory, not a capture file";
        }

        if (File.Exists(path))
        {
            return null;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return folder is not null && !Directory.Exists(folder)
            ? $"{path}: no such file (its folder {folder} does not exist either)"
            : $"{path}: no such file";
    }

    /// <summary>The sentence for an exception from opening or reading <paramref name="path"/>.</summary>
    /// <param name="path">The file, as given.</param>
    /// <param name="error">An <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</param>
    public static string Describe(string path, Exception error)
    {
        if (BeforeOpening(path) is { } missing && error is not UnauthorizedAccessException)
        {
            return missing;
        }

        if (error is UnauthorizedAccessException)
        {
            return Directory.Exists(path) ? $"{path}: is a directory, not a capture file" : PermissionDenied(path);
        }

        return $"{path}: cannot be read: {error.Message}";
    }

    /// <summary>"permission denied", with the file's mode and the user the bridge runs as.</summary>
    public static string PermissionDenied(string path)
    {
        var mode = "";
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                var unix = File.GetUnixFileMode(path);
                mode = string.Format(CultureInfo.InvariantCulture, " (mode {0})", Octal(unix));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not even the mode can be read (a folder of the path denies search): the sentence goes without it.
            }
        }

        return $"{path}: permission denied{mode}: the bridge runs as {CurrentUser()} and may not read it. Run the bridge as the user " +
            "OpenClaw runs as (the plugin writes its spool readable by that user only), or give this user read access";
    }

    /// <summary>The user the process runs as: <c>name (uid N)</c> on Unix, the name elsewhere.</summary>
    public static string CurrentUser()
    {
        var name = Environment.UserName;
        if (OperatingSystem.IsWindows())
        {
            return name;
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, "{0} (uid {1})", name, NativeMethods.geteuid());
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return name;
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');

    private static class NativeMethods
    {
        // The effective user id decides access; Environment.UserName alone cannot tell two users of one name apart
        // (containers) and .NET has no managed accessor for the id.
        [DllImport("libc", ExactSpelling = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern uint geteuid();
    }
}
