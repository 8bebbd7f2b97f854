using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;

namespace Instrumentation.OpenClaw.Synthetic;

/// <summary>
/// Builds large hook streams from real captures: each copy of a capture gets its own run ids, session keys, session
/// ids, OpenClaw trace/span ids and tool call ids, and its times shifted, so copies are independent turns that
/// interleave like concurrent sessions. A capture line is compiled once into a template of literal text and tokens,
/// so rendering a copy costs little more than copying the text. Shared by the tests and the benchmark.
/// </summary>
internal sealed class CaptureTemplate
{
    // Ids and times inside the raw JSON text. UUIDs cover run ids, session ids, sub-agent session keys and call ids
    // (which embed the run id); gateway session keys and the mock's tool call ids are matched by shape.
    private static readonly Regex s_tokens = new(
        "\"(?<tkey>tsMs|timestamp|endedAt)\":(?<time>\\d{13})(?<frac>\\.\\d+)?" +
        "|\"ts\":\"(?<iso>[0-9T:.\\-]+Z)\"" +
        "|\"(?<hkey>traceId|spanId|parentSpanId)\":\"(?<hex>[0-9a-f]{16,32})\"" +
        "|(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})" +
        "|(?<skey>agent:main:gw-[A-Za-z0-9-]+)" +
        "|(?<call>call_mock_\\d+(?:_\\d+)?)",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly List<Line> _lines;

    private CaptureTemplate(List<Line> lines, long firstMs, long lastMs)
    {
        _lines = lines;
        FirstMs = firstMs;
        LastMs = lastMs;
    }

    /// <summary>The first line's time (Unix ms).</summary>
    public long FirstMs { get; }

    /// <summary>The last line's time (Unix ms).</summary>
    public long LastMs { get; }

    public int LineCount => _lines.Count;

    public static CaptureTemplate FromFile(string path) => FromLines(File.ReadAllLines(path));

    public static CaptureTemplate FromLines(IEnumerable<string> rawLines)
    {
        var lines = new List<Line>();
        long first = long.MaxValue, last = long.MinValue;
        foreach (var raw in rawLines)
        {
            if (string.IsNullOrWhiteSpace(raw) || raw.Contains("\"__plugin_register__\"", StringComparison.Ordinal))
            {
                continue;
            }

            var line = Compile(raw);
            lines.Add(line);
            first = Math.Min(first, line.TimeMs);
            last = Math.Max(last, line.TimeMs);
        }

        return new CaptureTemplate(lines, first, last);
    }

    /// <summary>The lines of copy <paramref name="copy"/>, times shifted by <paramref name="offsetMs"/>.</summary>
    public IEnumerable<string> Render(int copy, long offsetMs)
    {
        var builder = new StringBuilder(4096);
        for (var i = 0; i < _lines.Count; i++)
        {
            builder.Clear();
            _lines[i].Render(builder, copy, offsetMs);
            yield return builder.ToString();
        }
    }

    internal void RenderLine(int index, StringBuilder builder, int copy, long offsetMs) => _lines[index].Render(builder, copy, offsetMs);

    internal long LineTime(int index) => _lines[index].TimeMs;

    private static Line Compile(string raw)
    {
        var parts = new List<Part>();
        var last = 0;
        long? tsMs = null;
        foreach (Match match in s_tokens.Matches(raw))
        {
            if (match.Index > last)
            {
                parts.Add(Part.Literal(raw[last..match.Index]));
            }

            if (match.Groups["time"].Success)
            {
                var ms = long.Parse(match.Groups["time"].Value, CultureInfo.InvariantCulture);
                var key = match.Groups["tkey"].Value;
                if (key == "tsMs")
                {
                    tsMs ??= ms;
                }

                parts.Add(Part.Literal("\"" + key + "\":"));
                parts.Add(new Part(PartKind.Time, null, ms, match.Groups["frac"].Value));
            }
            else if (match.Groups["iso"].Success)
            {
                var time = DateTimeOffset.Parse(match.Groups["iso"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                parts.Add(Part.Literal("\"ts\":\""));
                parts.Add(new Part(PartKind.Iso, null, time.ToUnixTimeMilliseconds(), null));
                parts.Add(Part.Literal("\""));
            }
            else if (match.Groups["hex"].Success)
            {
                parts.Add(Part.Literal("\"" + match.Groups["hkey"].Value + "\":\""));
                parts.Add(new Part(PartKind.Hex, match.Groups["hex"].Value, 0, null));
                parts.Add(Part.Literal("\""));
            }
            else
            {
                parts.Add(new Part(PartKind.Suffixed, match.Value, 0, null));
            }

            last = match.Index + match.Length;
        }

        if (last < raw.Length)
        {
            parts.Add(Part.Literal(raw[last..]));
        }

        return new Line(parts.ToArray(), tsMs ?? 0);
    }

    private enum PartKind
    {
        Literal,
        Time,
        Iso,
        Hex,
        Suffixed,
    }

    private readonly record struct Part(PartKind Kind, string? Text, long Ms, string? Fraction)
    {
        public static Part Literal(string text) => new(PartKind.Literal, text, 0, null);
    }

    private sealed class Line
    {
        private readonly Part[] _parts;

        public Line(Part[] parts, long timeMs)
        {
            _parts = parts;
            TimeMs = timeMs;
        }

        public long TimeMs { get; }

        public void Render(StringBuilder builder, int copy, long offsetMs)
        {
            foreach (var part in _parts)
            {
                switch (part.Kind)
                {
                    case PartKind.Literal:
                        builder.Append(part.Text);
                        break;
                    case PartKind.Time:
                        builder.Append((part.Ms + offsetMs).ToString(CultureInfo.InvariantCulture)).Append(part.Fraction);
                        break;
                    case PartKind.Iso:
                        builder.Append(DateTimeOffset.FromUnixTimeMilliseconds(part.Ms + offsetMs).UtcDateTime
                            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                        break;
                    case PartKind.Hex:
                        AppendHex(builder, part.Text!, copy);
                        break;
                    default:
                        builder.Append(part.Text);
                        if (copy != 0)
                        {
                            builder.Append('~').Append(copy.ToString(CultureInfo.InvariantCulture));
                        }

                        break;
                }
            }
        }

        private static void AppendHex(StringBuilder builder, string hex, int copy)
        {
            // Same length, still hex, different per copy and stable across lines: xor the last 8 digits.
            var head = hex.Length - 8;
            var tail = uint.Parse(hex.AsSpan(head), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            builder.Append(hex, 0, head).Append((tail ^ (uint)(copy * 2654435761L)).ToString("x8", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>Interleaves many copies of capture templates into one time-ordered stream.</summary>
internal static class SyntheticStream
{
    /// <summary>
    /// Copy <c>k</c> of <paramref name="templates"/>[k % n] starts <c>k × staggerMs</c> after the first, so about
    /// <c>duration / staggerMs</c> sessions are in flight at once; lines come out ordered by their (shifted) time.
    /// </summary>
    public static IEnumerable<string> Interleave(IReadOnlyList<CaptureTemplate> templates, int copies, long staggerMs)
    {
        var baseMs = templates[0].FirstMs;
        var queue = new PriorityQueue<(int Copy, int Line, long Offset), long>();
        var nextCopy = 0;
        var builder = new StringBuilder(4096);

        long StartOf(int copy) => baseMs + copy * staggerMs;

        void Enqueue(int copy)
        {
            var template = templates[copy % templates.Count];
            var offset = StartOf(copy) - template.FirstMs;
            queue.Enqueue((copy, 0, offset), template.LineTime(0) + offset);
        }

        while (nextCopy < copies || queue.Count > 0)
        {
            while (nextCopy < copies && (!queue.TryPeek(out _, out var nextTime) || StartOf(nextCopy) <= nextTime))
            {
                Enqueue(nextCopy++);
            }

            var (copy, line, offsetMs) = queue.Dequeue();
            var current = templates[copy % templates.Count];
            builder.Clear();
            current.RenderLine(line, builder, copy, offsetMs);
            yield return builder.ToString();
            if (line + 1 < current.LineCount)
            {
                queue.Enqueue((copy, line + 1, offsetMs), current.LineTime(line + 1) + offsetMs);
            }
        }
    }
}
