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
/// The scan is one vectorized <see cref="SearchValues{T}"/> search for all the prefixes of two characters or more at
/// once (compared case-insensitively, so one pass serves every rule; a hit on a case-sensitive prefix in the wrong
/// case, such as <c>Asia</c> for <c>ASIA</c>, is checked and the search goes on past it), plus one character search
/// for the one-character prefixes (<c>=</c>). UTF-8 JSON is decoded to UTF-16 first: its prefixes are ASCII, and an
/// ASCII run occurs in the bytes exactly when it occurs in the decoded text.
/// </remarks>
internal sealed class SecretValues
{
    private const int StackDecodeChars = 512;

    private readonly Regex[] _rules;
    private readonly Regex[] _unfiltered;
    private readonly SearchValues<string> _prefixes;
    private readonly SearchValues<char> _singles;
    private readonly bool _hasSingles;
    private readonly bool _hasCaseSensitive;

    // The prefixes that must match in their own case, for the check after a case-insensitive hit.
    private readonly string[] _caseSensitive;
    private readonly string[] _ignoreCase;
    private readonly string _replacement;

    public SecretValues(IReadOnlyList<ValueRule> rules, IReadOnlyList<Regex> unfiltered, string marker)
    {
        _rules = new Regex[rules.Count];
        var all = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var caseSensitive = new List<string>();
        var ignoreCase = new List<string>();
        var singles = new HashSet<char>();
        for (var i = 0; i < rules.Count; i++)
        {
            _rules[i] = rules[i].Regex;
            foreach (var prefix in rules[i].Prefixes)
            {
                if (prefix.Length == 1)
                {
                    singles.Add(prefix[0]);
                    if (rules[i].IgnoreCase && char.IsAsciiLetter(prefix[0]))
                    {
                        singles.Add(char.IsAsciiLetterUpper(prefix[0]) ? char.ToLowerInvariant(prefix[0]) : char.ToUpperInvariant(prefix[0]));
                    }

                    continue;
                }

                all.Add(prefix);
                (rules[i].IgnoreCase ? ignoreCase : caseSensitive).Add(prefix);
            }
        }

        _prefixes = SearchValues.Create([.. all], StringComparison.OrdinalIgnoreCase);
        _singles = SearchValues.Create([.. singles]);
        _hasSingles = singles.Count > 0;
        _caseSensitive = [.. caseSensitive];
        _ignoreCase = [.. ignoreCase];
        _hasCaseSensitive = caseSensitive.Count > 0;
        _unfiltered = [.. unfiltered];
        _replacement = "$1" + marker.Replace("$", "$$", StringComparison.Ordinal);
    }

    /// <summary>Whether any rule could match: a literal prefix occurs, or a custom pattern without prefixes exists.</summary>
    public bool MayMatch(ReadOnlySpan<char> text)
    {
        if (_unfiltered.Length > 0 || (_hasSingles && text.IndexOfAny(_singles) >= 0))
        {
            return true;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(_prefixes);
            if (found < 0)
            {
                return false;
            }

            var position = offset + found;
            if (!_hasCaseSensitive || StartsWithPrefix(text[position..]))
            {
                return true;
            }

            offset = position + 1;
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

        // ASCII decodes one byte to one char, and anything else to fewer chars than bytes: utf8.Length chars suffice.
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

    // After a case-insensitive hit: whether a prefix matches here in the case its rule asks for.
    private bool StartsWithPrefix(ReadOnlySpan<char> text)
    {
        foreach (var prefix in _ignoreCase)
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in _caseSensitive)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One secret-value rule: its regex (group 1 is kept) and the literal prefixes one of which every match contains.</summary>
internal sealed record ValueRule(string Name, Regex Regex, IReadOnlyList<string> Prefixes, bool IgnoreCase);
