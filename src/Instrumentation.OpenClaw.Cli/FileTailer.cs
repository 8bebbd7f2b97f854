using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// Reads the complete lines appended to a file since the last call, for <c>follow</c>. Survives truncation (the file
/// gets shorter than what was read: start again from its beginning) and rotation (the path now names another file,
/// told by its first bytes: finish the old file, then read the new one from its beginning). A last line without its
/// line break is held until the break arrives.
/// </summary>
internal sealed class FileTailer : IDisposable
{
    private const int SignatureLength = 128;

    private readonly string _path;
    private readonly List<byte> _partial = new();

    // Reused by every poll (four a second while following): reading a quiet file should allocate nothing.
    private readonly byte[] _readBuffer = new byte[1 << 16];
    private FileStream? _stream;
    private byte[]? _signature;
    private long _lineNumber;

    public FileTailer(string path, bool fromEnd)
    {
        _path = path;
        FromEnd = fromEnd;
    }

    public bool FromEnd { get; }

    /// <summary>Line number of the last line returned, in the current file.</summary>
    public long LineNumber => _lineNumber;

    /// <summary>Set when the last poll switched files or restarted a truncated one.</summary>
    public string? LastNotice { get; private set; }

    /// <summary>Returns the complete lines available now (empty when none), with their line numbers.</summary>
    public IReadOnlyList<(string Line, long Number)> Poll()
    {
        LastNotice = null;
        var lines = new List<(string, long)>();
        if (_stream is null && !TryOpen(FromEnd))
        {
            return lines;
        }

        ReadAvailable(lines);
        if (lines.Count > 0)
        {
            return lines;
        }

        // Caught up: has the file been truncated or replaced?
        FileInfo info;
        try
        {
            info = new FileInfo(_path);
            info.Refresh();
        }
        catch (IOException)
        {
            return lines;
        }

        if (!info.Exists)
        {
            return lines;
        }

        if (info.Length < _stream!.Position || !SameFile())
        {
            var rotated = info.Length >= _stream.Position;
            LastNotice = rotated ? "file replaced (rotation): reading the new file from its start" : "file truncated: reading it again from its start";
            // A renamed segment still grows under our handle until its writer moves on: what arrived between the last
            // read and the rename is read before the new file, so a rotated segment is always finished first. (A file
            // truncated in place has shrunk under the handle too: nothing is read from it.)
            if (_stream.Length > _stream.Position)
            {
                LastNotice = "file replaced (rotation): finished the old file, reading the new one from its start";
                ReadAvailable(lines);
            }

            Close();
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
            _stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _stream = null;
            return false;
        }

        _signature = ReadSignature(_stream);
        _partial.Clear();
        _lineNumber = 0;
        if (fromEnd)
        {
            _stream.Seek(0, SeekOrigin.End);
        }

        return true;
    }

    private void ReadAvailable(List<(string, long)> lines)
    {
        var buffer = _readBuffer;
        int read;
        while ((read = _stream!.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }

                _partial.AddRange(new ArraySegment<byte>(buffer, start, i - start));
                var count = _partial.Count > 0 && _partial[^1] == (byte)'\r' ? _partial.Count - 1 : _partial.Count;
                _lineNumber++;
                lines.Add((Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(_partial)[..count]), _lineNumber));
                _partial.Clear();
                start = i + 1;
            }

            _partial.AddRange(new ArraySegment<byte>(buffer, start, read - start));
        }

        if (_signature is { Length: < SignatureLength })
        {
            // The file was shorter than a signature when opened: take a fuller one now, for rotation checks.
            _signature = ReadSignature(_stream);
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
    public string? TakePartialLine()
    {
        if (_partial.Count == 0)
        {
            return null;
        }

        _lineNumber++;
        var text = Encoding.UTF8.GetString(_partial.ToArray());
        _partial.Clear();
        return text;
    }

    private void Close()
    {
        _stream?.Dispose();
        _stream = null;
    }

    public void Dispose() => Close();
}
