using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Finds secret-shaped values inside text (a bearer token, a provider key, a <c>Password=</c> in a connection string)
/// and replaces each with the marker, keeping what the rule's group 1 matched (<c>Bearer [REDACTED]</c>).
/// </summary>
/// <remarks>
/// Most recorded text holds no secret, so no regex runs until <see cref="SecretValueFilter"/> finds what some rule's
/// every match holds. A custom pattern has no such literal: when there is one, every string is given to the regexes.
/// </remarks>
internal sealed class SecretValues
{
    private readonly Regex[] _rules;
    private readonly Regex[] _unfiltered;
    private readonly SecretValueFilter _filter;
    private readonly string _replacement;

    public SecretValues(IReadOnlyList<ValueRule> rules, IReadOnlyList<Regex> unfiltered, string marker)
    {
        _rules = new Regex[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            _rules[i] = rules[i].Regex;
        }

        _filter = new SecretValueFilter(rules);
        _unfiltered = [.. unfiltered];
        _replacement = "$1" + marker.Replace("$", "$$", StringComparison.Ordinal);
    }

    /// <summary>Whether any rule could match the text as it is.</summary>
    public bool MayMatch(ReadOnlySpan<char> text) => _unfiltered.Length > 0 || _filter.MayMatch(text, escaped: false);

    /// <summary>Whether any rule could match a string of JSON text once decoded.</summary>
    public bool MayMatchJson(ReadOnlySpan<char> json) => _unfiltered.Length > 0 || _filter.MayMatch(json, escaped: true);

    /// <summary>The same test on UTF-8 JSON (serialized values, a token of it).</summary>
    public bool MayMatchJson(ReadOnlySpan<byte> utf8) => _unfiltered.Length > 0 || _filter.MayMatch(utf8);

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
}

/// <summary>One secret-value rule: its regex (group 1 is kept), the literal prefixes one of which every match contains,
/// and optionally what every match has after its prefix (<see cref="PrefixContext"/>).</summary>
internal sealed record ValueRule(string Name, Regex Regex, IReadOnlyList<string> Prefixes, bool IgnoreCase, IReadOnlyList<string>? FollowedBy = null);
