using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// The built-in rules, read once from <c>redaction-rules.json</c> (embedded in this assembly; the OpenClaw plugin reads
/// a copy of the same file). The file is data, not code, so both front ends redact alike.
/// </summary>
internal static class RedactionRules
{
    public const string ResourceName = "Instrumentation.Runtime.Redaction.redaction-rules.json";

    private static readonly Lazy<(string Marker, string[] Names, ValueRule[] Values)> s_builtIn = new(Load);

    public static string Marker => s_builtIn.Value.Marker;

    public static IReadOnlyList<string> SecretNames => s_builtIn.Value.Names;

    public static IReadOnlyList<ValueRule> SecretValues => s_builtIn.Value.Values;

    /// <summary>Compiles a pattern the way the built-in ones are compiled.</summary>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public static Regex Compile(string pattern, bool ignoreCase, string source)
    {
        try
        {
            var options = RegexOptions.CultureInvariant | RegexOptions.Compiled | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            var regex = new Regex(pattern, options, TimeSpan.FromSeconds(1));

            // The replacement keeps group 1: give a pattern without groups an empty one in front.
            return regex.GetGroupNumbers().Length > 1 ? regex : new Regex("()(?:" + pattern + ")", options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{source}: the pattern '{pattern}' is not a valid regular expression: {ex.Message}", ex);
        }
    }

    private static (string, string[], ValueRule[]) Load()
    {
        using var stream = typeof(RedactionRules).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The embedded resource " + ResourceName + " is missing from the runtime assembly.");
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        var marker = root.GetProperty("marker").GetString()!;
        var names = new List<string>();
        foreach (var name in root.GetProperty("secretNames").EnumerateArray())
        {
            names.Add(name.GetString()!);
        }

        var values = new List<ValueRule>();
        foreach (var rule in root.GetProperty("secretValues").EnumerateArray())
        {
            var name = rule.GetProperty("name").GetString()!;
            var ignoreCase = rule.GetProperty("ignoreCase").GetBoolean();
            var prefixes = new List<string>();
            foreach (var prefix in rule.GetProperty("prefixes").EnumerateArray())
            {
                var text = prefix.GetString()!;
                if (text.Length == 0 || !System.Text.Ascii.IsValid(text))
                {
                    throw new InvalidDataException($"{ResourceName}: rule '{name}': the prefix '{text}' must be non-empty ASCII.");
                }

                prefixes.Add(text);
            }

            List<string>? followedBy = null;
            if (rule.TryGetProperty("followedBy", out var steps))
            {
                followedBy = new List<string>();
                foreach (var step in steps.EnumerateArray())
                {
                    followedBy.Add(step.GetString()!);
                }
            }

            values.Add(new ValueRule(name, Compile(rule.GetProperty("regex").GetString()!, ignoreCase, ResourceName + ", rule '" + name + "'"), prefixes, ignoreCase, followedBy));
        }

        return (marker, names.ToArray(), values.ToArray());
    }
}
