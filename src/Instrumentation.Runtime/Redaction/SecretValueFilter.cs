using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// The cheap test that runs before any secret-value regex: whether the text holds what every match of some rule
/// holds. Most recorded text holds no secret, so this is what redaction costs in the common case.
/// </summary>
/// <remarks>
/// One vectorized search (<see cref="SearchValues{T}"/> of characters) looks for anchors: characters rare in ordinary
/// text. A rule's prefix with a rare character (the <c>_</c> of <c>ghp_</c>, the <c>-</c> of <c>sk-</c>, the
/// <c>K</c> of <c>AKIA</c>) is anchored on it, and where the anchor is found the prefix around it is compared, once two
/// bit tests on the neighbouring characters let it. A rule whose prefixes are plain words matched in any case
/// (<c>bearer</c>, <c>apikey</c>) has no such character, and their letters are everywhere in prose, so it names what
/// follows its prefix (<see cref="PrefixContext"/>): the search stops at that trigger (a digit, a <c>:</c>) and walks
/// back to see whether a prefix ends there. The same code reads UTF-16 text and UTF-8 JSON (<see cref="TextUnits"/>),
/// so serialized JSON is tested as it was written, without decoding it.
/// </remarks>
internal sealed class SecretValueFilter
{
    // Characters from rarest to most common in prose and JSON: the anchor of a prefix is its earliest character here.
    private const string Rarity = "_-=#@$%^&~|\\/QZXJKVBPYGFWMUCLDRHSNIOATEqzxjkvbpygfwmucldrhsnioate0123456789:.,\"' ";

    // Up to this many characters a text is looked through one character at a time, cheaper than calling the search.
    private const int ShortText = 16;

    private static readonly CharClass Anything = new(UInt128.MaxValue, true);

    private readonly SearchValues<char> _anchorChars;
    private readonly CharClass _anchorSet;
    private readonly SearchValues<byte> _anchorBytes;
    private readonly Candidate[]?[] _prefixesAt = new Candidate[]?[128];
    private readonly PrefixContext[]?[] _contextsAt = new PrefixContext[]?[128];

    // Per anchor, the characters that may follow it in some prefix: every character when the anchor ends a prefix.
    // The prefixes compared here are case-sensitive, so no folding.
    private readonly CharClass[] _after = new CharClass[128];

    // The same for the character before the anchor: every character when the anchor starts a prefix.
    private readonly CharClass[] _before = new CharClass[128];

    /// <exception cref="InvalidDataException">A rule's prefixes or <c>followedBy</c> cannot be searched this way.</exception>
    public SecretValueFilter(IReadOnlyList<ValueRule> rules)
    {
        var anchors = new SortedSet<char>();
        var prefixes = new List<Candidate>?[128];
        var contexts = new List<PrefixContext>?[128];
        foreach (var (followedBy, ignoreCase, names, rulePrefixes) in GroupByFollowedBy(rules))
        {
            var context = new PrefixContext(rulePrefixes, ignoreCase, followedBy, $"{RedactionRules.ResourceName}, rule '{names}'");
            for (var c = '\0'; c < 128; c++)
            {
                if (context.Trigger.Contains(c))
                {
                    anchors.Add(c);
                    (contexts[c] ??= new List<PrefixContext>()).Add(context);
                }
            }
        }

        foreach (var rule in rules)
        {
            if (rule.FollowedBy is not null)
            {
                continue;
            }

            foreach (var prefix in rule.Prefixes)
            {
                if (rule.IgnoreCase && HasLetter(prefix))
                {
                    throw new InvalidDataException($"{RedactionRules.ResourceName}, rule '{rule.Name}': the prefix '{prefix}' ignores case and holds letters, so it needs followedBy (what every match has after it) for the pre-filter to find it without stopping at every word.");
                }

                var anchorIndex = AnchorOf(prefix);
                var anchor = prefix[anchorIndex];
                anchors.Add(anchor);
                (prefixes[anchor] ??= new List<Candidate>()).Add(new Candidate(prefix, anchorIndex));
                _after[anchor] = _after[anchor].Union(anchorIndex + 1 < prefix.Length ? CharClass.Of(prefix[anchorIndex + 1], ignoreCase: false) : Anything);
                _before[anchor] = _before[anchor].Union(anchorIndex > 0 ? CharClass.Of(prefix[anchorIndex - 1], ignoreCase: false) : Anything);
            }
        }

        for (var i = 0; i < 128; i++)
        {
            _prefixesAt[i] = prefixes[i]?.ToArray();
            _contextsAt[i] = contexts[i]?.ToArray();
        }

        _anchorChars = SearchValues.Create([.. anchors]);
        foreach (var anchor in anchors)
        {
            _anchorSet = _anchorSet.Union(CharClass.Of(anchor, ignoreCase: false));
        }

        var bytes = new byte[anchors.Count];
        var n = 0;
        foreach (var anchor in anchors)
        {
            bytes[n++] = (byte)anchor;
        }

        _anchorBytes = SearchValues.Create(bytes);
    }

    /// <summary>Whether text might hold a match. <paramref name="escaped"/>: the text is JSON, whose strings the regexes
    /// will see decoded, so an escape near a would-be match counts as one.</summary>
    public bool MayMatch(ReadOnlySpan<char> text, bool escaped)
    {
        if (text.Length > ShortText)
        {
            return Scan(text, _anchorChars, escaped);
        }

        // A short value (a city, a unit, an id) is looked through here, one bit test a character, which costs less
        // than calling the vectorized search; only one with an anchor goes on to the full scan.
        foreach (var c in text)
        {
            if (_anchorSet.Contains(c))
            {
                return Scan(text, _anchorChars, escaped);
            }
        }

        return false;
    }

    /// <summary>The same test on UTF-8 JSON, as serialized.</summary>
    public bool MayMatch(ReadOnlySpan<byte> json) => Scan(json, _anchorBytes, escaped: true);

    // Kept out of its callers: inlined into the serializer's large WriteValue, the loop compiled to code that took 4.5 KB
    // of prose 200 to 370 ns longer to scan than the same loop called (docs/benchmarks.md, section 9).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Scan<T>(ReadOnlySpan<T> text, SearchValues<T> anchors, bool escaped)
        where T : unmanaged, IEquatable<T>
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(anchors);
            if (found < 0)
            {
                return false;
            }

            var position = offset + found;
            offset = position + 1;
            var anchor = TextUnits.At(text, position);
            if (_prefixesAt[anchor] is { } candidates
                && _before[anchor].Contains(position > 0 ? TextUnits.At(text, position - 1) : 0)
                && _after[anchor].Contains(position + 1 < text.Length ? TextUnits.At(text, position + 1) : 0))
            {
                foreach (var candidate in candidates)
                {
                    if (TextUnits.StartsWithAt(text, position - candidate.AnchorIndex, candidate.Prefix))
                    {
                        return true;
                    }
                }
            }

            if (_contextsAt[anchor] is { } contexts)
            {
                foreach (var context in contexts)
                {
                    if (context.FollowsPrefix(text, position, escaped))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    // Rules that name the same followedBy (the key assignments, the AWS secret) share one walk from each trigger.
    private static IEnumerable<(IReadOnlyList<string> FollowedBy, bool IgnoreCase, string Names, List<string> Prefixes)> GroupByFollowedBy(IReadOnlyList<ValueRule> rules)
    {
        var groups = new List<(IReadOnlyList<string> FollowedBy, bool IgnoreCase, string Names, List<string> Prefixes)>();
        foreach (var rule in rules)
        {
            if (rule.FollowedBy is not { } followedBy)
            {
                continue;
            }

            var index = groups.FindIndex(group => group.IgnoreCase == rule.IgnoreCase && group.FollowedBy.SequenceEqual(followedBy));
            if (index < 0)
            {
                groups.Add((followedBy, rule.IgnoreCase, rule.Name, new List<string>(rule.Prefixes)));
            }
            else
            {
                groups[index].Prefixes.AddRange(rule.Prefixes);
                groups[index] = groups[index] with { Names = groups[index].Names + "', '" + rule.Name };
            }
        }

        return groups;
    }

    private static bool HasLetter(string prefix)
    {
        foreach (var c in prefix)
        {
            if (char.IsAsciiLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    private static int AnchorOf(string prefix)
    {
        var best = 0;
        var bestRank = int.MaxValue;
        for (var i = 0; i < prefix.Length; i++)
        {
            var rank = Rarity.IndexOf(prefix[i], StringComparison.Ordinal);
            rank = rank < 0 ? Rarity.Length : rank;
            if (rank < bestRank)
            {
                best = i;
                bestRank = rank;
            }
        }

        return best;
    }

    private readonly record struct Candidate(string Prefix, int AnchorIndex);
}
