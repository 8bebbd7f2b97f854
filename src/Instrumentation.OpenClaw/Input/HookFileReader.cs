using System.Collections.Generic;
using System.IO;

namespace Instrumentation.OpenClaw.Input;

/// <summary>Reads a JSON-lines hook stream line by line, with 1-based line numbers for error messages.</summary>
public static class HookFileReader
{
    /// <summary>Parses every line of <paramref name="reader"/>.</summary>
    /// <param name="reader">The stream's text.</param>
    /// <param name="fileLabel">The name to report positions with (the path as given).</param>
    public static IEnumerable<HookParseResult> Read(TextReader reader, string fileLabel)
    {
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            yield return HookLineParser.Parse(line, new SourcePosition(fileLabel, lineNumber));
        }
    }

    /// <summary>Parses every line of the file at <paramref name="path"/>.</summary>
    public static IEnumerable<HookParseResult> ReadFile(string path)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        foreach (var result in Read(reader, path))
        {
            yield return result;
        }
    }
}
