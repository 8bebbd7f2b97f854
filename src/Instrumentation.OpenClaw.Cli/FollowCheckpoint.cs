using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// Where a restarted <c>follow</c> resumes so that it neither loses nor repeats a turn (docs/openclaw-bridge.md,
/// "Checkpoint"): the position of the first line of the oldest turn still in flight (the segment, told by its first
/// bytes so a rename does not lose it, the byte offset and line number), and the run ids exported since that position,
/// which are suppressed when the lines are read again. Kept in <c>&lt;spool&gt;.checkpoint</c>, replaced atomically
/// (temp file + rename), and written only after the pipeline was flushed, so it never claims a turn MLflow was not
/// given.
/// </summary>
internal sealed class FollowCheckpoint
{
    private readonly Dictionary<string, Position> _firstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Position> _lastSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Position> _exported = new(StringComparer.Ordinal);
    private readonly Dictionary<int, byte[]> _signatures = new();
    private readonly HashSet<string> _suppressed = new(StringComparer.Ordinal);
    private bool _saveFailed;

    // Every run exported in this process, bounded as the replay's own memory of exported runs is.
    private readonly BoundedSet _exportedEarlier = new(65_536);

    public FollowCheckpoint(string spool)
    {
        Spool = spool;
        FilePath = spool + ".checkpoint";
    }

    public string Spool { get; }

    /// <summary><c>&lt;spool&gt;.checkpoint</c>.</summary>
    public string FilePath { get; }

    /// <summary>Whether anything changed since the last <see cref="Save"/>; true at the start, so every run writes
    /// one once it has caught up.</summary>
    public bool Dirty { get; private set; } = true;

    /// <summary>A line's place: the tailer's segment counter, the byte offset of the line's start, the lines before it.</summary>
    public readonly record struct Position(int Segment, long Offset, long LinesBefore) : IComparable<Position>
    {
        public int CompareTo(Position other) => Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);
    }

    /// <summary>What a saved checkpoint says: the segment's first bytes, where to resume in it, the runs to suppress.</summary>
    public sealed record Saved(byte[] Signature, long Offset, long LinesBefore, IReadOnlyList<string> Exported);

    /// <summary>Notes an event of <paramref name="runId"/> read at <paramref name="at"/>.</summary>
    public void Seen(string runId, Position at, byte[] signature)
    {
        _signatures.TryAdd(at.Segment, signature);
        if (_suppressed.Contains(runId))
        {
            return;
        }

        Dirty = true;
        if (_exported.ContainsKey(runId) || _exportedEarlier.Contains(runId))
        {
            // A late event of an exported run: read again after a restart it must still be suppressed, so the run's
            // last position moves here. It never counts as in flight again (that would pin the resume point).
            _exported[runId] = at;
            return;
        }

        _firstSeen.TryAdd(runId, at);
        _lastSeen[runId] = at;
    }

    /// <summary>Notes that a run's spans were handed to the pipeline.</summary>
    public void Exported(string runId)
    {
        _exportedEarlier.Add(runId);
        _firstSeen.Remove(runId);
        if (_lastSeen.Remove(runId, out var last))
        {
            _exported[runId] = last;
        }

        Dirty = true;
    }

    /// <summary>True the first time a save fails, so the failure is said once.</summary>
    public bool ReportSaveFailure()
    {
        var first = !_saveFailed;
        _saveFailed = true;
        return first;
    }

    /// <summary>Runs the saved checkpoint said were exported: their events, read again, are not tracked.</summary>
    public void Suppress(IEnumerable<string> runIds) => _suppressed.UnionWith(runIds);

    /// <summary>Replaces the checkpoint file with the current state: resume at the oldest run in flight, else at
    /// <paramref name="next"/> (after the last complete line read).</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public void Save(Position next, byte[] currentSignature)
    {
        _signatures.TryAdd(next.Segment, currentSignature);
        var resume = _firstSeen.Count > 0 ? _firstSeen.Values.Min() : next;
        foreach (var stale in _exported.Where(e => e.Value.CompareTo(resume) < 0).Select(e => e.Key).ToList())
        {
            _exported.Remove(stale);
        }

        foreach (var old in _signatures.Keys.Where(k => k < resume.Segment).ToList())
        {
            _signatures.Remove(old);
        }

        var node = new JsonObject
        {
            ["v"] = 1,
            ["spool"] = Path.GetFullPath(Spool),
            ["segmentFirstBytes"] = Convert.ToBase64String(_signatures.GetValueOrDefault(resume.Segment, currentSignature)),
            ["offset"] = resume.Offset,
            ["linesBefore"] = resume.LinesBefore,
            ["exported"] = new JsonArray(_exported.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k).ToArray()),
            ["updatedAt"] = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        var temp = FilePath + ".tmp";
        File.WriteAllText(temp, node.ToJsonString());
        File.Move(temp, FilePath, overwrite: true);
        Dirty = false;
    }

    /// <summary>Reads the checkpoint file; <see langword="null"/> when there is none, with <paramref name="problem"/>
    /// set when there is one that cannot be used.</summary>
    public Saved? Load(out string? problem)
    {
        problem = null;
        if (!File.Exists(FilePath) || Environment.GetEnvironmentVariable("X_NO_RESUME") == "1")
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(File.ReadAllText(FilePath)) is JsonObject node && (int?)node["v"] == 1
                && (string?)node["segmentFirstBytes"] is { } first && (long?)node["offset"] is { } offset && (long?)node["linesBefore"] is { } lines
                && node["exported"] is JsonArray exported)
            {
                return new Saved(Convert.FromBase64String(first), offset, lines, exported.Select(e => (string?)e).OfType<string>().ToList());
            }

            problem = $"{FilePath}: not a checkpoint of this version; reading as if there were none";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or FormatException or InvalidOperationException)
        {
            problem = $"{FilePath}: unreadable checkpoint ({ex.Message}); reading as if there were none";
            return null;
        }
    }

    /// <summary>The file the checkpoint's segment is now: the spool itself, or a rotated <c>&lt;spool&gt;.N</c> (N up to
    /// 9), told by its first bytes; <see langword="null"/> when none matches.</summary>
    public string? FindSegment(Saved saved)
    {
        foreach (var candidate in new[] { Spool }.Concat(Enumerable.Range(1, 9).Select(n => Spool + "." + n.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            if (FileTailer.SignatureOf(candidate) is { } signature && signature.Length >= saved.Signature.Length
                && signature.AsSpan(0, saved.Signature.Length).SequenceEqual(saved.Signature) && saved.Signature.Length > 0)
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A set that forgets its oldest keys beyond a capacity.</summary>
internal sealed class BoundedSet
{
    private readonly int _capacity;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public BoundedSet(int capacity)
    {
        _capacity = capacity;
    }

    public bool Contains(string key) => _keys.Contains(key);

    public void Add(string key)
    {
        if (_keys.Add(key))
        {
            _order.Enqueue(key);
            if (_order.Count > _capacity)
            {
                _keys.Remove(_order.Dequeue());
            }
        }
    }
}
