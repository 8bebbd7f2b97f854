using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Splits a byte stream fed in chunks into UTF-8 lines (line feed as the break, a carriage return before it dropped)
/// without ever holding more than <see cref="MaxLineBytes"/> bytes of one line. A longer line is given as a
/// <see cref="SplitLine"/> with a <see cref="SplitLine.Problem"/> as soon as it passes the limit; the rest of it, up to
/// its break, is discarded as it arrives. So a 200 MB line, or an input without any line break such as
/// <c>/dev/zero</c>, costs the limit and not its size.
/// </summary>
/// <remarks>Used by <see cref="HookFileReader"/> (a whole file) and by <c>follow</c> (a growing file, fed as it grows:
/// <see cref="TakePartial"/> gives the last line without its break when input ends). Not thread-safe.</remarks>
public sealed class BoundedLineSplitter
{
    /// <summary>The default limit, 4 MiB: twenty times the longest line of the recorded captures (about 200 KB, with
    /// OpenClaw's system prompt and history), whose median line is under 1 KB.</summary>
    public const int DefaultMaxLineBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _line = new byte[4096];
    private int _length;
    private long _lineStart;
    private bool _discarding;

    /// <summary>Creates a splitter.</summary>
    /// <param name="maxLineBytes">The longest line kept, in bytes, without its break.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLineBytes"/> is less than 1.</exception>
    public BoundedLineSplitter(int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        MaxLineBytes = maxLineBytes;
    }

    /// <summary>The longest line kept, in bytes (without its line break).</summary>
    public int MaxLineBytes { get; }

    /// <summary>How many bytes were fed since the start (or the last <see cref="Reset"/>): the offset of the next byte.</summary>
    public long BytesFed { get; private set; }

    /// <summary>The number of the last line given (1-based; 0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The byte offset where the line being assembled starts: after the last complete line's break.</summary>
    public long PendingLineOffset => _lineStart;

    /// <summary>The bytes reserved for the line being assembled: never more than the limit plus one.</summary>
    internal int BufferCapacity => _line.Length;

    /// <summary>Whether part of a line without its break is held (or being discarded).</summary>
    public bool HasPartial => _length > 0 || _discarding;

    /// <summary>Forgets everything, for a new file: offsets and line numbers start again from zero.</summary>
    /// <param name="startOffset">The byte offset the next byte fed has in its file (not zero when reading starts
    /// mid-file, as <c>follow --from-end</c> or a resumed checkpoint does).</param>
    /// <param name="linesBefore">How many lines precede <paramref name="startOffset"/>, when known, so that line numbers
    /// stay those of the file.</param>
    public void Reset(long startOffset = 0, long linesBefore = 0)
    {
        _length = 0;
        _discarding = false;
        BytesFed = startOffset;
        _lineStart = startOffset;
        LineNumber = linesBefore;
        if (_line.Length > 1 << 20)
        {
            _line = new byte[4096];
        }
    }

    /// <summary>Feeds the next bytes and appends every line they complete (and a line that passed the limit) to
    /// <paramref name="lines"/>.</summary>
    /// <param name="bytes">The next bytes of the stream.</param>
    /// <param name="lines">Receives the lines, in order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is <see langword="null"/>.</exception>
    public void Feed(ReadOnlySpan<byte> bytes, List<SplitLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        while (!bytes.IsEmpty)
        {
            var lineFeed = bytes.IndexOf((byte)'\n');
            var chunk = lineFeed < 0 ? bytes : bytes[..lineFeed];
            Append(chunk, lines);
            BytesFed += chunk.Length;
            if (lineFeed < 0)
            {
                return;
            }

            BytesFed++;
            EndLine(lines);
            bytes = bytes[(lineFeed + 1)..];
        }
    }

    /// <summary>End of input: the last line, held without its line break, or <see langword="null"/> when there is none
    /// (or it was already given for passing the limit).</summary>
    /// <returns>The line, counted as the next line number.</returns>
    public SplitLine? TakePartial()
    {
        if (!HasPartial)
        {
            return null;
        }

        var lines = new List<SplitLine>(1);
        EndLine(lines);
        return lines.Count > 0 ? lines[0] : null;
    }

    private void Append(ReadOnlySpan<byte> chunk, List<SplitLine> lines)
    {
        if (_discarding || chunk.IsEmpty)
        {
            return;
        }

        if (_length + chunk.Length > MaxLineBytes + 1)
        {
            // One byte of slack keeps a line of exactly the limit followed by "\r\n" whole.
            LineNumber++;
            lines.Add(new SplitLine(null, LineNumber, _lineStart, TooLong(MaxLineBytes)));
            _discarding = true;
            _length = 0;
            return;
        }

        if (_length + chunk.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Min(Math.Max(_line.Length * 2, _length + chunk.Length), MaxLineBytes + 1));
        }

        chunk.CopyTo(_line.AsSpan(_length));
        _length += chunk.Length;
    }

    private void EndLine(List<SplitLine> lines)
    {
        var start = _lineStart;
        _lineStart = BytesFed;
        if (_discarding)
        {
            _discarding = false;
            return;
        }

        var length = _length > 0 && _line[_length - 1] == (byte)'\r' ? _length - 1 : _length;
        _length = 0;
        if (length > MaxLineBytes)
        {
            LineNumber++;
            lines.Add(new SplitLine(null, LineNumber, start, TooLong(MaxLineBytes)));
            return;
        }

        var content = _line.AsSpan(0, length);
        if (start == 0 && content.StartsWith("\uFEFF"u8))
        {
            content = content[3..];
        }

        LineNumber++;
        try
        {
            lines.Add(new SplitLine(s_strictUtf8.GetString(content), LineNumber, start, null));
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 ? string.Format(CultureInfo.InvariantCulture, " at byte {0} of the line", ex.Index + 1) : "";
            var bad = ex.BytesUnknown is { Length: > 0 } unknown ? " (0x" + Convert.ToHexString(unknown) + ")" : "";
            lines.Add(new SplitLine(null, LineNumber, start, "not valid UTF-8" + at + bad));
        }
    }

    private static string TooLong(int limit) =>
        "line longer than the " + FormatBytes(limit) + " limit (--max-line-bytes): skipped up to its line break, without reading it into memory";

    /// <summary>A byte count as the option is usually given: <c>4 MiB</c>, <c>512 KiB</c>, <c>100 bytes</c>.</summary>
    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => (bytes >> 20).ToString(CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 when bytes % (1 << 10) == 0 => (bytes >> 10).ToString(CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}

/// <summary>One line given by <see cref="BoundedLineSplitter"/>: its text, or why it cannot be read.</summary>
/// <param name="Text">The line's text without its break (a byte-order mark at the start of the stream removed), or
/// <see langword="null"/> when <paramref name="Problem"/> is set.</param>
/// <param name="Number">The 1-based line number.</param>
/// <param name="Offset">The byte offset of the line's first byte in its stream.</param>
/// <param name="Problem">Why the line is skipped (longer than the limit, not valid UTF-8), one line of text without the
/// position; <see langword="null"/> for a readable line.</param>
public readonly record struct SplitLine(string? Text, long Number, long Offset, string? Problem);
