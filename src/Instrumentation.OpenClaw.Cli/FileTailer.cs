using System;
using System.Collections.Generic;
using System.IO;
using Instrumentation.OpenClaw.Input;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// Reads the complete lines appended to a file since the last call, for <c>follow</c>. Waits for a file (and its folder)
/// that does not exist yet, and for one it may not read, saying once what it waits for. Survives truncation (the file
/// gets shorter than what was read: start again from its beginning), deletion and rotation (the path now names another
/// file, told by its first bytes: finish the old file, then read the new one from its beginning). A last line without
/// its line break is held until the break arrives; no line is held beyond the splitter's limit.
/// </summary>
internal sealed class FileTailer : IDisposable
{
    private const int SignatureLength = 128;

    private readonly string _path;
    private readonly BoundedLineSplitter _splitter;

    // Reused by every poll (four a second while following): reading a quiet file should allocate nothing.
    private readonly byte[] _readBuffer = new byte[1 << 16];
    private FileStream? _stream;
    private byte[]? _signature;
    private bool _firstOpen = true;
    private Waiting _waiting;
    private bool _deletedNoticed;
    private (string Path, long Offset, long LinesBefore)? _resume;
    private bool _inRenamedSegment;

    public FileTailer(string path, bool fromEnd, int maxLineBytes = BoundedLineSplitter.DefaultMaxLineBytes)
    {
        _path = path;
        FromEnd = fromEnd;
        _splitter = new BoundedLineSplitter(maxLineBytes);
    }

    public bool FromEnd { get; }

    /// <summary>Counts the files opened (1 for the first): tells a rotated segment's offsets from the next one's.</summary>
    public int Segment { get; private set; }

    /// <summary>The first bytes (up to 128) of the file being read: what identifies it after a rename.</summary>
    public byte[] Signature => _signature ?? [];

    /// <summary>The byte offset, in the file being read, of the next line: after the last complete line given.</summary>
    public long NextLineOffset => _splitter.PendingLineOffset;

    /// <summary>The number of the last line given, in the file being read.</summary>
    public long LineNumber => _splitter.LineNumber;

    /// <summary>Makes the first open read <paramref name="segmentPath"/> (the followed path, or a rotated segment of it)
    /// from <paramref name="offset"/>, the line numbers going on from <paramref name="linesBefore"/>; a segment other than
    /// the followed path is read to its end, then the followed path from its start, as after a rotation.</summary>
    public void ResumeAt(string segmentPath, long offset, long linesBefore) => _resume = (segmentPath, offset, linesBefore);

    /// <summary>The first bytes of the file at <paramref name="path"/>, or <see langword="null"/> when it cannot be
    /// read.</summary>
    public static byte[]? SignatureOf(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return ReadSignature(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the file is open (it existed and could be read at the last poll, or since).</summary>
    public bool IsOpen => _stream is not null;

    /// <summary>Set when the last poll has something to say, as a sentence that starts with the path: it waits for the file (or may not read it), the file
    /// appeared, was replaced, truncated or deleted. Each problem is said once, not at every poll.</summary>
    public string? LastNotice { get; private set; }

    /// <summary>Returns the lines available now (empty when none): complete lines, and lines skipped for passing the
    /// limit.</summary>
    public IReadOnlyList<SplitLine> Poll()
    {
        LastNotice = null;
        var lines = new List<SplitLine>();
        if (_stream is null && !TryOpen(FromEnd && _firstOpen))
        {
            return lines;
        }

        if (!ReadAvailable(lines) || lines.Count > 0)
        {
            return lines;
        }

        // Caught up: has the file been truncated, deleted or replaced?
        var info = new FileInfo(_path);
        if (!info.Exists)
        {
            if (!_deletedNoticed)
            {
                _deletedNoticed = true;
                LastNotice = $"{_path}: file deleted: waiting for it to appear again";
            }

            return lines;
        }

        _deletedNoticed = false;
        var stream = _stream!;
        if (_inRenamedSegment || info.Length < stream.Position || !SameFile())
        {
            // Shorter than what was read: truncated in place, unless the handle is on a renamed segment (a resumed
            // checkpoint's), whose successor the path now names.
            var rotated = _inRenamedSegment || info.Length >= stream.Position;
            _inRenamedSegment = false;
            LastNotice = rotated ? $"{_path}: file replaced (rotation): reading the new file from its start" : $"{_path}: file truncated: reading it again from its start";
            // A renamed segment still grows under our handle until its writer moves on: what arrived between the last
            // read and the rename is read before the new file, so a rotated segment is always finished first. (A file
            // truncated in place has shrunk under the handle too: nothing is read from it.)
            if (stream.Length > stream.Position)
            {
                LastNotice = $"{_path}: file replaced (rotation): finished the old file, reading the new one from its start";
                ReadAvailable(lines);
            }

            if (rotated && _splitter.TakePartial() is { } last)
            {
                // The finished segment's last line, even without its break, is that segment's and read with it.
                lines.Add(last);
            }

            Close();
            if (lines.Count > 0)
            {
                // The new file is opened by the next poll: one poll's lines all come from one segment (Segment).
                return lines;
            }

            if (TryOpen(fromEnd: false))
            {
                ReadAvailable(lines);
            }
        }

        return lines;
    }

    private bool TryOpen(bool fromEnd)
    {
        try
        {
            if (InputFileProblem.BeforeOpening(_path) is { } missing)
            {
                return Directory.Exists(_path)
                    ? Wait(Waiting.ForAFile, missing + "; waiting for a file at that path")
                    : Wait(Waiting.ForAFile, missing + "; waiting for it to appear");
            }

            _stream = new FileStream(_resume?.Path ?? _path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _stream = null;
            return Wait(Waiting.ToRead, InputFileProblem.Describe(_path, ex) + "; retrying until it can be read");
        }

        if (_waiting != Waiting.No)
        {
            LastNotice = _waiting == Waiting.ForAFile ? $"{_path}: the file is there now: following it" : $"{_path}: the file can be read now: following it";
            _waiting = Waiting.No;
        }

        _firstOpen = false;
        _deletedNoticed = false;
        Segment++;
        _signature = ReadSignature(_stream);
        if (_resume is { } resume)
        {
            _resume = null;
            _inRenamedSegment = resume.Path != _path;
            _stream.Seek(Math.Min(resume.Offset, _stream.Length), SeekOrigin.Begin);
            _splitter.Reset(_stream.Position, resume.LinesBefore);
            return true;
        }

        if (fromEnd)
        {
            _stream.Seek(0, SeekOrigin.End);
        }

        _splitter.Reset(_stream.Position);
        return true;
    }

    /// <summary>Says what it waits for, once per kind of wait: a folder that appears before its file is the same wait.</summary>
    private bool Wait(Waiting kind, string problem)
    {
        if (kind != _waiting)
        {
            _waiting = kind;
            LastNotice = problem;
        }

        return false;
    }

    private enum Waiting
    {
        No,
        ForAFile,
        ToRead,
    }

    /// <summary>Reads to the current end; false (with a notice, the file closed to be opened again) when reading
    /// failed.</summary>
    private bool ReadAvailable(List<SplitLine> lines)
    {
        try
        {
            int read;
            while ((read = _stream!.Read(_readBuffer, 0, _readBuffer.Length)) > 0)
            {
                _splitter.Feed(_readBuffer.AsSpan(0, read), lines);
            }

            if (_signature is { Length: < SignatureLength })
            {
                // The file was shorter than a signature when opened: take a fuller one now, for rotation checks.
                _signature = ReadSignature(_stream);
            }

            return true;
        }
        catch (IOException ex)
        {
            Close();
            Wait(Waiting.ToRead, InputFileProblem.Describe(_path, ex) + "; retrying until it can be read");
            return false;
        }
    }

    private bool SameFile()
    {
        try
        {
            using var current = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var signature = ReadSignature(current);
            var length = Math.Min(signature.Length, _signature?.Length ?? 0);
            return signature.AsSpan(0, length).SequenceEqual(_signature.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static byte[] ReadSignature(FileStream stream)
    {
        var position = stream.Position;
        stream.Position = 0;
        var buffer = new byte[SignatureLength];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        stream.Position = position;
        return buffer.AsSpan(0, total).ToArray();
    }

    /// <summary>The line held without its line break, when input ends (follow stopped).</summary>
    public SplitLine? TakePartialLine() => _splitter.TakePartial();

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
    }

    public void Dispose() => Close();
}
