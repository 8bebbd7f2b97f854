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
/// bytes so a rename does not lose it, the byte offset and line number), the run ids exported since that position,
/// which are suppressed when the lines are read again, and the turns in delivery: handed to the pipeline but not yet
/// confirmed by a flush, each with the trace id its spans carry. A restart asks MLflow about each turn in delivery
/// (<see cref="Mlflow.Delivery.DeliveredTraces"/>): one that arrived is suppressed like an exported one, one that did
/// not is read and sent again. Kept in <c>&lt;spool&gt;.checkpoint</c>, replaced atomically (temp file + rename):
/// after each flush, and before each turn's root span ends, so that no trace reaches MLflow unrecorded.
/// </summary>
internal sealed class FollowCheckpoint
{
    private readonly Dictionary<string, Position> _firstSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Position> _lastSeen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Position> _exported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InDelivery> _inDelivery = new(StringComparer.Ordinal);
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

    /// <summary>A turn handed to the pipeline and not yet confirmed by a flush: its run id, the OTLP trace id of its
    /// spans (32 hex digits), and the position of its first line (a restart must be able to read it again).</summary>
    public sealed record InDelivery(string RunId, string TraceId, Position First);

    /// <summary>What a saved checkpoint says: the segment's first bytes, where to resume in it, the runs to suppress,
    /// and the turns in delivery (run id, trace id) whose arrival a restart asks MLflow about.</summary>
    public sealed record Saved(byte[] Signature, long Offset, long LinesBefore, IReadOnlyList<string> Exported,
        IReadOnlyList<(string RunId, string TraceId)> InDelivery);

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

    /// <summary>Notes that a run's spans are about to be sent (its root span ends next) with trace id
    /// <paramref name="traceId"/>; <paramref name="current"/> is the line being read, where the run resumes if its first
    /// line is not known.</summary>
    public void Exporting(string runId, string traceId, Position current)
    {
        var first = _firstSeen.TryGetValue(runId, out var seen) ? seen : current;
        _inDelivery[runId] = new InDelivery(runId, traceId, _inDelivery.TryGetValue(runId, out var earlier) && earlier.First.CompareTo(first) < 0 ? earlier.First : first);
        Dirty = true;
    }

    /// <summary>How many turns are in delivery: handed over since the last flush.</summary>
    public int InDeliveryCount => _inDelivery.Count;

    /// <summary>The pipeline was flushed: every turn in delivery was answered by MLflow (or counted lost) and counts as
    /// exported.</summary>
    public void Confirmed()
    {
        _inDelivery.Clear();
        Dirty = true;
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

    /// <summary>Replaces the checkpoint file with the current state: resume at the oldest run in flight or in delivery,
    /// else at <paramref name="next"/> (after the last complete line read).</summary>
    /// <param name="next">Where reading goes on.</param>
    /// <param name="currentSignature">The first bytes of the segment being read.</param>
    /// <param name="flushed">Whether the pipeline was just flushed: every turn in delivery was then answered by MLflow
    /// (or counted lost by the delivery) and counts as exported.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be written.</exception>
    public void Save(Position next, byte[] currentSignature, bool flushed)
    {
        if (flushed)
        {
            Confirmed();
        }

        _signatures.TryAdd(next.Segment, currentSignature);
        var resume = _firstSeen.Values.Concat(_inDelivery.Values.Select(d => d.First)).DefaultIfEmpty(next).Min();
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
            ["v"] = 2,
            ["spool"] = Path.GetFullPath(Spool),
            ["segmentFirstBytes"] = Convert.ToBase64String(_signatures.GetValueOrDefault(resume.Segment, currentSignature)),
            ["offset"] = resume.Offset,
            ["linesBefore"] = resume.LinesBefore,
            ["exported"] = new JsonArray(_exported.Keys.Where(k => !_inDelivery.ContainsKey(k)).Order(StringComparer.Ordinal).Select(k => (JsonNode)k).ToArray()),
            ["inDelivery"] = new JsonArray(_inDelivery.Values.OrderBy(d => d.RunId, StringComparer.Ordinal)
                .Select(d => (JsonNode)new JsonObject { ["runId"] = d.RunId, ["traceId"] = d.TraceId }).ToArray()),
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
            // Version 1 had no turns in delivery; it reads as version 2 with none.
            if (JsonNode.Parse(File.ReadAllText(FilePath)) is JsonObject node && (int?)node["v"] is 1 or 2
                && (string?)node["segmentFirstBytes"] is { } first && (long?)node["offset"] is { } offset && (long?)node["linesBefore"] is { } lines
                && node["exported"] is JsonArray exported)
            {
                var inDelivery = (node["inDelivery"] as JsonArray ?? new JsonArray())
                    .Select(d => ((string?)d?["runId"], (string?)d?["traceId"]))
                    .Where(d => d.Item1 is not null && d.Item2 is { Length: 32 })
                    .Select(d => (d.Item1!, d.Item2!))
                    .ToList();
                return new Saved(Convert.FromBase64String(first), offset, lines, exported.Select(e => (string?)e).OfType<string>().ToList(), inDelivery);
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
