using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Reads a JSON-lines hook stream line by line, with 1-based line numbers for error messages, never holding more than
/// one line of at most <see cref="BoundedLineSplitter.MaxLineBytes"/> bytes. Both methods are lazy: a line is read and
/// parsed as the result is enumerated, so exceptions surface during enumeration, not at the call.
/// </summary>
public static class HookFileReader
{
    private const int ReadBufferBytes = 1 << 16;

    /// <summary>Parses every line of <paramref name="stream"/>, up to its end, as UTF-8.</summary>
    /// <param name="stream">The stream. It is read, not disposed.</param>
    /// <param name="fileLabel">The name to report positions with (the path as given).</param>
    /// <param name="maxLineBytes">The longest line parsed, in bytes; a longer one is a malformed result, skipped without
    /// being read into memory.</param>
    /// <returns>One result per line (line feed or carriage return + line feed as the break), blank and malformed lines
    /// included. A line that is not valid UTF-8 is malformed.</returns>
    /// <param name="cancellationToken">Ends the enumeration early, checked between reads of 64 KiB: also while a line
    /// over the limit is being skipped, so an endless input without line breaks can be stopped.</param>
    /// <exception cref="IOException">Reading <paramref name="stream"/> failed (during enumeration).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLineBytes"/> is less than 1 (during
    /// enumeration).</exception>
    public static IEnumerable<HookParseResult> Read(Stream stream, string fileLabel, int maxLineBytes = BoundedLineSplitter.DefaultMaxLineBytes,
        CancellationToken cancellationToken = default)
    {
        var splitter = new BoundedLineSplitter(maxLineBytes);
        var buffer = new byte[ReadBufferBytes];
        var lines = new List<SplitLine>();
        int read;
        while (!cancellationToken.IsCancellationRequested && (read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            splitter.Feed(buffer.AsSpan(0, read), lines);
            foreach (var line in lines)
            {
                yield return Parse(line, fileLabel);
            }

            lines.Clear();
        }

        if (!cancellationToken.IsCancellationRequested && splitter.TakePartial() is { } last)
        {
            yield return Parse(last, fileLabel);
        }
    }

    /// <summary>Parses every line of the file at <paramref name="path"/>, read as UTF-8 (a UTF-8 byte-order mark is
    /// skipped). The file is opened when enumeration starts and closed when it ends.</summary>
    /// <param name="path">The file; also the label of the results' positions.</param>
    /// <param name="maxLineBytes">The longest line parsed, in bytes (<see cref="Read"/>).</param>
    /// <param name="cancellationToken">Ends the enumeration early (<see cref="Read"/>).</param>
    /// <returns>One result per line, blank and malformed lines included.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist (when enumeration starts).</exception>
    /// <exception cref="DirectoryNotFoundException">A folder of the path does not exist (when enumeration starts).</exception>
    /// <exception cref="System.UnauthorizedAccessException">The file may not be read, or is a directory (when enumeration
    /// starts).</exception>
    /// <exception cref="IOException">Opening or reading the file failed (during enumeration).</exception>
    public static IEnumerable<HookParseResult> ReadFile(string path, int maxLineBytes = BoundedLineSplitter.DefaultMaxLineBytes,
        CancellationToken cancellationToken = default)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        foreach (var result in Read(stream, path, maxLineBytes, cancellationToken))
        {
            yield return result;
        }
    }

    /// <summary>Parses one line the splitter gave: its text as <see cref="HookLineParser.Parse"/> does, or its problem
    /// (too long, not UTF-8) as a malformed result.</summary>
    /// <param name="line">The line.</param>
    /// <param name="fileLabel">The name to report its position with.</param>
    /// <returns>The parse result, positioned at <c>fileLabel:line.Number</c>.</returns>
    public static HookParseResult Parse(SplitLine line, string fileLabel)
    {
        var position = new SourcePosition(fileLabel, line.Number);
        return line.Text is { } text ? HookLineParser.Parse(text, position) : HookParseResult.Malformed(position, line.Problem ?? "unreadable line");
    }
}
