using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>Editing capture lines for synthetic streams.</summary>
internal static class Lines
{
    public static List<string> Of(string capture) => File.ReadAllLines(Captures.PathOf(capture)).ToList();

    public static int IndexOfSeq(List<string> lines, long seq) =>
        lines.FindIndex(l => JsonNode.Parse(l)!["seq"]?.GetValue<long>() == seq);

    public static JsonObject Node(string line) => JsonNode.Parse(line)!.AsObject();

    public static string Hook(string line) => Node(line)["hook"]!.GetValue<string>();

    public static long TsMs(string line) => Node(line)["tsMs"]!.GetValue<long>();

    /// <summary>The line with its receipt time (and ISO <c>ts</c>) shifted, and its OpenClaw span ids replaced.</summary>
    public static string Shift(string line, long offsetMs, IReadOnlyDictionary<string, string>? replacements = null)
    {
        if (replacements is not null)
        {
            foreach (var (from, to) in replacements)
            {
                line = line.Replace(from, to, StringComparison.Ordinal);
            }
        }

        var node = Node(line);
        var ts = node["tsMs"]!.GetValue<long>() + offsetMs;
        node["tsMs"] = ts;
        node["ts"] = DateTimeOffset.FromUnixTimeMilliseconds(ts).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
        if (node["event"]?["message"]?["timestamp"] is JsonValue stamp)
        {
            node["event"]!["message"]!["timestamp"] = stamp.GetValue<long>() + offsetMs;
        }

        return node.ToJsonString();
    }

    /// <summary>The line without <c>ctx.trace</c>: forces the pairing rules that do not rely on OpenClaw span ids.</summary>
    public static string WithoutTrace(string line)
    {
        var node = Node(line);
        (node["ctx"] as JsonObject)?.Remove("trace");
        return node.ToJsonString();
    }

    public static string Make(string hook, long tsMs, JsonObject @event, JsonObject? ctx = null) =>
        new JsonObject
        {
            ["hook"] = hook,
            ["tsMs"] = tsMs,
            ["event"] = @event,
            ["ctx"] = ctx ?? new JsonObject(),
        }.ToJsonString();
}
