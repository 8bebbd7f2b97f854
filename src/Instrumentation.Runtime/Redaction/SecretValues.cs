using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Finds secret-shaped values inside text (a bearer token, a provider key, a <c>Password=</c> in a connection string)
/// and replaces each with the marker, keeping what the rule's group 1 matched (<c>Bearer [REDACTED]</c>).
/// </summary>
/// <remarks>
/// Most recorded text holds no secret, so no regex runs until a cheap scan finds one of the rules' literal prefixes.
/// The scan has two vectorized parts. Prefixes that are plain words matched in any case (<c>token</c>, <c>basic</c>,
/// <c>apikey</c>) are searched all at once by one <see cref="SearchValues{T}"/> of strings: their letters are common in
/// prose, so a search for any one of those letters would stop at almost every word. Every other prefix holds a
/// character rare in ordinary text (<c>_</c> of <c>ghp_</c>, <c>-</c> of <c>sk-</c>, <c>=</c>, the capital <c>K</c> of
/// <c>AKIA</c>): that character is its anchor, a <see cref="SearchValues{T}"/> of characters looks for the anchors, and
/// only where one is found is the prefix around it compared, and only when the characters before and after the
/// anchor are ones some prefix has there (two bit tests). UTF-8 JSON is decoded to UTF-16 first: the prefixes are
/// ASCII, and an ASCII run occurs in the bytes exactly when it occurs in the decoded text.
/// </remarks>
internal sealed class SecretValues
{
    // Characters from rarest to most common in prose and JSON: the anchor of a prefix is its earliest character here.
    private const int StackDecodeChars = 512;

    private const string Rarity = "_-=#@$%^&~|\\/QZXJKVBPYGFWMUCLDRHSNIOATEqzxjkvbpygfwmucldrhsnioate0123456789:.,\"' ";

    private readonly Regex[] _rules;
    private readonly Regex[] _unfiltered;
    private readonly SearchValues<char> _anchors;
    private readonly SearchValues<string> _words;
    private readonly bool _hasWords;
    private readonly Candidate[]?[] _byAnchor = new Candidate[]?[128];

    // Per anchor, the characters that may follow it in some prefix, folded with | 0x20 (so ASCII letters of either case
    // fold together); bit 127 marks an anchor that ends a prefix, which any character may follow.
    private readonly UInt128[] _nextAfter = new UInt128[128];

    // The same for the character before the anchor; bit 127 marks an anchor that starts a prefix.
    private readonly UInt128[] _before = new UInt128[128];
    private readonly string _replacement;

    public SecretValues(IReadOnlyList<ValueRule> rules, IReadOnlyList<Regex> unfiltered, string marker)
    {
        _rules = new Regex[rules.Count];
        var anchors = new List<char>();
        var buckets = new List<Candidate>?[128];
        var words = new List<string>();
        for (var i = 0; i < rules.Count; i++)
        {
            _rules[i] = rules[i].Regex;
            foreach (var prefix in rules[i].Prefixes)
            {
                if (rules[i].IgnoreCase && prefix.Length >= 2 && IsAsciiLetters(prefix))
                {
                    words.Add(prefix);
                    continue;
                }

                var anchorIndex = AnchorOf(prefix);
                var anchor = prefix[anchorIndex];
                AddAnchor(anchor, new Candidate(prefix, anchorIndex, rules[i].IgnoreCase), anchors, buckets);
                if (rules[i].IgnoreCase && char.IsAsciiLetter(anchor))
                {
                    var other = char.IsAsciiLetterUpper(anchor) ? char.ToLowerInvariant(anchor) : char.ToUpperInvariant(anchor);
                    AddAnchor(other, new Candidate(prefix, anchorIndex, true), anchors, buckets);
                }
            }
        }

        for (var i = 0; i < buckets.Length; i++)
        {
            _byAnchor[i] = buckets[i]?.ToArray();
            foreach (var candidate in buckets[i] ?? [])
            {
                _nextAfter[i] |= candidate.AnchorIndex + 1 < candidate.Prefix.Length
                    ? UInt128.One << Fold(candidate.Prefix[candidate.AnchorIndex + 1])
                    : UInt128.One << 127;
                _before[i] |= candidate.AnchorIndex > 0 ? UInt128.One << Fold(candidate.Prefix[candidate.AnchorIndex - 1]) : UInt128.One << 127;
            }
        }

        _anchors = SearchValues.Create(anchors.ToArray());
        _words = SearchValues.Create([.. words], StringComparison.OrdinalIgnoreCase);
        _hasWords = words.Count > 0;
        _unfiltered = [.. unfiltered];
        _replacement = "$1" + marker.Replace("$", "$$", StringComparison.Ordinal);
    }

    /// <summary>Whether any rule could match: a literal prefix occurs, or a custom pattern without prefixes exists.</summary>
    public bool MayMatch(ReadOnlySpan<char> text)
    {
        if (_unfiltered.Length > 0 || (_hasWords && text.IndexOfAny(_words) >= 0))
        {
            return true;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(_anchors);
            if (found < 0)
            {
                return false;
            }

            var position = offset + found;
            offset = position + 1;
            if (!Fits(text[position], position > 0 ? text[position - 1] : '\0', position + 1 < text.Length ? text[position + 1] : '\0'))
            {
                continue;
            }

            foreach (var candidate in _byAnchor[text[position]]!)
            {
                var start = position - candidate.AnchorIndex;
                if (start >= 0 && start + candidate.Prefix.Length <= text.Length
                    && text.Slice(start, candidate.Prefix.Length).Equals(candidate.Prefix, candidate.Comparison))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The same test on UTF-8 text (serialized JSON).</summary>
    public bool MayMatch(ReadOnlySpan<byte> utf8)
    {
        if (_unfiltered.Length > 0)
        {
            return true;
        }

        // ASCII decodes one byte to one char, anything else to fewer chars than bytes: utf8.Length chars suffice.
        char[]? rented = null;
        var buffer = utf8.Length <= StackDecodeChars ? stackalloc char[StackDecodeChars] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var count = Encoding.UTF8.GetChars(utf8, buffer);
            return MayMatch(buffer[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Returns <paramref name="text"/> with every secret-shaped value replaced, or the same instance when none was.</summary>
    public string Redact(string text)
    {
        if (!MayMatch(text.AsSpan()))
        {
            return text;
        }

        var result = text;
        foreach (var rule in _rules)
        {
            result = rule.Replace(result, _replacement);
        }

        foreach (var rule in _unfiltered)
        {
            result = rule.Replace(result, _replacement);
        }

        return result;
    }

    // Whether the characters around an anchor are ones some prefix has around it: two bit tests that dismiss most
    // anchors met in ordinary text before any prefix is compared.
    private bool Fits(char anchor, char previous, char next) => Allows(_before[anchor], previous) && Allows(_nextAfter[anchor], next);

    private static bool Allows(UInt128 allowed, char c) =>
        (allowed >> 127) != UInt128.Zero || (c < 128 && ((allowed >> Fold(c)) & UInt128.One) != UInt128.Zero);

    // | 0x20 folds ASCII letters to lower case; other characters it maps onto characters no prefix follows an anchor with.
    private static int Fold(char c) => (c | 0x20) & 0x7F;

    private static bool IsAsciiLetters(string prefix)
    {
        foreach (var c in prefix)
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
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

    private static void AddAnchor(char anchor, Candidate candidate, List<char> anchors, List<Candidate>?[] buckets)
    {
        if (!anchors.Contains(anchor))
        {
            anchors.Add(anchor);
        }

        (buckets[anchor] ??= new List<Candidate>()).Add(candidate);
    }

    private readonly record struct Candidate(string Prefix, int AnchorIndex, bool IgnoreCase)
    {
        public StringComparison Comparison => IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }
}

/// <summary>One secret-value rule: its regex (group 1 is kept) and the literal prefixes one of which every match contains.</summary>
internal sealed record ValueRule(string Name, Regex Regex, IReadOnlyList<string> Prefixes, bool IgnoreCase);
