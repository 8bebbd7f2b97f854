using System;
using System.Collections.Generic;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Decides whether a key (a parameter, property, dictionary key or JSON object key) names a secret. A name is split
/// into words at case changes, digits and any character that is not a letter or digit (<c>apiKey</c>, <c>API_KEY</c>,
/// <c>x-api-key</c> all give <c>api key</c>); it names a secret when a run of its consecutive words, joined, equals a
/// secret name with its words joined (so <c>APIKEY</c> and <c>apikey</c> match <c>api key</c> too). Words match whole:
/// <c>maxTokens</c> (<c>max tokens</c>) and <c>tokenizer</c> do not match <c>token</c>. The same algorithm is in the
/// OpenClaw plugin (integrations/openclaw-plugin/src/redaction.js); the shared corpus test keeps them alike.
/// </summary>
internal sealed class SecretNames
{
    private const int MaxWords = 32;
    private const int RecentSlots = 256;
    private const int MaxRememberedLength = 64;

    private readonly Recent?[] _recent = new Recent?[RecentSlots];

    // Joined secret names, grouped by length so a run is compared only with names as long as it.
    private readonly string[][] _byLength;
    private readonly int _maxLength;

    public SecretNames(IEnumerable<string> names)
    {
        var joined = new HashSet<string>(StringComparer.Ordinal);
        Span<Range> words = stackalloc Range[MaxWords];
        foreach (var name in names)
        {
            var count = SplitWords(name, words);
            if (count == 0)
            {
                continue;
            }

            joined.Add(string.Concat(Join(name, words[..count])));
        }

        _maxLength = 0;
        foreach (var name in joined)
        {
            _maxLength = Math.Max(_maxLength, name.Length);
        }

        var buckets = new List<string>[_maxLength + 1];
        foreach (var name in joined)
        {
            (buckets[name.Length] ??= new List<string>()).Add(name);
        }

        _byLength = Array.ConvertAll(buckets, bucket => bucket?.ToArray() ?? Array.Empty<string>());
    }

    /// <summary>Whether <paramref name="name"/> names a secret, remembered for the names met most (parameter names,
    /// the usual keys): a small direct-mapped cache, each slot an immutable entry replaced whole, so it needs no lock.
    /// A slot is chosen from the name's length and three of its characters, not a full hash: parameter names are the
    /// same string instance at every call, so most lookups end at the reference comparison.</summary>
    public bool IsSecret(string name)
    {
        ref var slot = ref _recent[Slot(name)];
        if (slot is { } entry && (ReferenceEquals(entry.Name, name) || string.Equals(entry.Name, name, StringComparison.Ordinal)))
        {
            return entry.IsSecret;
        }

        var secret = Decide(name);
        slot = new Recent(name, secret);
        return secret;
    }

    /// <summary>The same for a key read from JSON, remembered too (JSON keys repeat as much as parameter names); a
    /// name not met before is copied to a string once, for its slot.</summary>
    public bool IsSecret(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxRememberedLength)
        {
            return Decide(name);
        }

        ref var slot = ref _recent[Slot(name)];
        if (slot is { } entry && name.SequenceEqual(entry.Name))
        {
            return entry.IsSecret;
        }

        var secret = Decide(name);
        slot = new Recent(name.ToString(), secret);
        return secret;
    }

    private static int Slot(ReadOnlySpan<char> name) =>
        name.IsEmpty ? 0 : (name.Length * 7 + name[0] * 31 + name[^1] * 131 + name[name.Length / 2] * 17) & (RecentSlots - 1);

    private bool Decide(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > 256)
        {
            return false;
        }

        Span<Range> words = stackalloc Range[MaxWords];
        var count = SplitWords(name, words);
        Span<char> run = stackalloc char[_maxLength];
        for (var first = 0; first < count; first++)
        {
            var length = 0;
            // A run ends once it is longer than every secret name.
            for (var last = first; last < count; last++)
            {
                var word = name[words[last]];
                if (length + word.Length > _maxLength)
                {
                    break;
                }

                // Lower-case ASCII as it is copied: names are compared ordinally, case-insensitively.
                for (var i = 0; i < word.Length; i++)
                {
                    var c = word[i];
                    run[length++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : char.ToLowerInvariant(c);
                }

                foreach (var candidate in _byLength[length])
                {
                    if (run[..length].SequenceEqual(candidate))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Splits <paramref name="name"/> into words; returns how many (at most <see cref="MaxWords"/>).</summary>
    internal static int SplitWords(ReadOnlySpan<char> name, Span<Range> words)
    {
        var count = 0;
        var start = -1;
        for (var i = 0; i <= name.Length && count < words.Length; i++)
        {
            var c = i < name.Length ? name[i] : '\0';
            var isPart = i < name.Length && char.IsLetterOrDigit(c);
            if (start >= 0 && (!isPart || IsBoundary(name, i)))
            {
                words[count++] = start..i;
                start = -1;
            }

            if (isPart && start < 0)
            {
                start = i;
            }
        }

        return count;
    }

    // A word starts at a lower-to-upper change (apiKey), at the last capital of a run followed by a lower-case letter
    // (APIKey: API, Key), and where letters and digits meet (oauth2Token: oauth, 2, token).
    private static bool IsBoundary(ReadOnlySpan<char> name, int i)
    {
        var previous = name[i - 1];
        var current = name[i];
        if (char.IsDigit(previous) != char.IsDigit(current))
        {
            return true;
        }

        if (char.IsUpper(current) && char.IsLower(previous))
        {
            return true;
        }

        return char.IsUpper(current) && char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]);
    }

    private sealed record Recent(string Name, bool IsSecret);

    private static IEnumerable<string> Join(string name, ReadOnlySpan<Range> words)
    {
        var parts = new string[words.Length];
        for (var i = 0; i < words.Length; i++)
        {
            parts[i] = name[words[i]].ToLowerInvariant();
        }

        return parts;
    }
}
