using System.Collections.Generic;
using System.IO;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads a JSON-lines hook stream line by line, with 1-based line numbers for error messages. Both methods are lazy: a
/// line is read and parsed as the result is enumerated, so exceptions surface during enumeration, not at the call.
/// </summary>
public static class HookFileReader
{
    /// <summary>Parses every line of <paramref name="reader"/>, up to its end.</summary>
    /// <param name="reader">The stream's text. It is read, not disposed.</param>
    /// <param name="fileLabel">The name to report positions with (the path as given).</param>
    /// <returns>One result per line (line feed, carriage return or both as the break), blank and malformed lines included.</returns>
    /// <exception cref="IOException">Reading <paramref name="reader"/> failed (during enumeration).</exception>
    public static IEnumerable<HookParseResult> Read(TextReader reader, string fileLabel)
    {
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            yield return HookLineParser.Parse(line, new SourcePosition(fileLabel, lineNumber));
        }
    }

    /// <summary>Parses every line of the file at <paramref name="path"/>, read as UTF-8 (a byte-order mark selects
    /// another Unicode encoding). The file is opened when enumeration starts and closed when it ends.</summary>
    /// <param name="path">The file; also the label of the results' positions.</param>
    /// <returns>One result per line, blank and malformed lines included.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (when enumeration starts).</exception>
    /// <exception cref="DirectoryNotFoundException">A folder of the path does not exist (when enumeration starts).</exception>
    /// <exception cref="System.UnauthorizedAccessException">The file may not be read (when enumeration starts).</exception>
    /// <exception cref="IOException">Opening or reading the file failed (during enumeration).</exception>
    public static IEnumerable<HookParseResult> ReadFile(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        foreach (var result in Read(reader, path))
        {
            yield return result;
        }
    }
}
