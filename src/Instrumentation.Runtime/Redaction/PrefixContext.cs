using System;
using System.Collections.Generic;
using System.IO;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// What follows a rule's prefix in every match, as the rules file's <c>followedBy</c> writes it: character classes
/// with a count (<c>["[ \t]+", "[A-Za-z._~+/=_-]*", "[0-9]"]</c>), the last one a single character, the trigger. The
/// pre-filter looks for triggers, which are rarer in prose than the prefix's words (a digit after <c>bearer </c>, the
/// <c>:</c> or <c>=</c> after <c>apikey</c>), and from each one walks back over the classes to see whether a prefix
/// ends there. The walk is greedy, one class at a time, which finds every match only because each class shares no
/// character with whatever may stand just before it; the constructor checks that.
/// </summary>
internal sealed class PrefixContext
{
    private readonly Step[] _steps;
    private readonly string[]?[] _byLastChar = new string[]?[128];

    // Per last character, the characters before it in the prefixes ending with it: most ends met in JSON ("city":)
    // are dismissed by this one test, before any prefix is compared.
    private readonly CharClass[] _beforeLastChar = new CharClass[128];
    private readonly string[] _all;
    private readonly bool _ignoreCase;

    /// <exception cref="InvalidDataException">A step is malformed, or the walk could miss a match.</exception>
    public PrefixContext(IReadOnlyList<string> prefixes, bool ignoreCase, IReadOnlyList<string> followedBy, string source)
    {
        _ignoreCase = ignoreCase;
        if (followedBy.Count == 0)
        {
            throw new InvalidDataException($"{source}: followedBy needs at least its trigger, one class such as [0-9].");
        }

        _steps = new Step[followedBy.Count - 1];
        for (var i = 0; i < followedBy.Count; i++)
        {
            var (parsed, end) = CharClass.Parse(followedBy[i], ignoreCase, source);
            var (min, max) = end == followedBy[i].Length ? (1, 1) : followedBy[i][end..] switch
            {
                "?" => (0, 1),
                "*" => (0, int.MaxValue),
                "+" => (1, int.MaxValue),
                var other => throw new InvalidDataException($"{source}: '{followedBy[i]}' ends in '{other}'; a class may be followed only by ?, * or +."),
            };

            if (parsed.Contains('\\'))
            {
                throw new InvalidDataException($"{source}: '{followedBy[i]}' holds a backslash, which the walk treats as the start of a JSON escape.");
            }

            if (i < _steps.Length)
            {
                _steps[i] = new Step(parsed, min, max);
            }
            else if ((min, max) != (1, 1) || (ignoreCase && parsed.HasLetter))
            {
                throw new InvalidDataException($"{source}: the trigger '{followedBy[i]}' must be one character, and no letter under ignoreCase.");
            }
            else
            {
                Trigger = parsed;
            }
        }

        var buckets = new List<string>?[128];
        var lastChars = default(CharClass);
        foreach (var prefix in prefixes)
        {
            var last = prefix[^1];
            lastChars = lastChars.Union(CharClass.Of(last, ignoreCase));
            var before = prefix.Length > 1 ? CharClass.Of(prefix[^2], ignoreCase) : new CharClass(UInt128.MaxValue, true);
            (buckets[last] ??= new List<string>()).Add(prefix);
            _beforeLastChar[last] = _beforeLastChar[last].Union(before);
            if (ignoreCase && char.IsAsciiLetter(last))
            {
                (buckets[last ^ 0x20] ??= new List<string>()).Add(prefix);
                _beforeLastChar[last ^ 0x20] = _beforeLastChar[last ^ 0x20].Union(before);
            }
        }

        for (var i = 0; i < buckets.Length; i++)
        {
            _byLastChar[i] = buckets[i]?.ToArray();
        }

        _all = [.. prefixes];
        CheckGreedyWalkIsExact(followedBy, lastChars, source);
    }

    /// <summary>The characters the pre-filter stops at for this rule.</summary>
    public CharClass Trigger { get; }

    /// <summary>Whether some prefix ends where the classes before the trigger at <paramref name="trigger"/> begin. In
    /// JSON text (<paramref name="escaped"/>) a walk that ends near a backslash says yes: the escape may stand for a
    /// character of a class, <c>\t</c> for a tab.</summary>
    public bool FollowsPrefix<T>(ReadOnlySpan<T> text, int trigger, bool escaped)
        where T : unmanaged
    {
        var end = trigger;
        for (var i = _steps.Length - 1; i >= 0; i--)
        {
            ref readonly var step = ref _steps[i];
            var count = 0;
            while (count < step.Max && end > 0 && step.Class.Contains(TextUnits.At(text, end - 1)))
            {
                end = TextUnits.At(text, end - 1) < 128 ? end - 1 : TextUnits.StartOfNonAscii(text, end);
                count++;
            }

            if (count < step.Min)
            {
                return escaped && TextUnits.EscapeNear(text, end);
            }
        }

        if (end > 0)
        {
            var lastUnit = TextUnits.At(text, end - 1);
            var candidates = lastUnit >= 128 ? (_ignoreCase ? _all : null)
                : end > 1 && !_beforeLastChar[lastUnit].Contains(TextUnits.At(text, end - 2)) ? null
                : _byLastChar[lastUnit];
            foreach (var prefix in candidates ?? [])
            {
                if (EndsWith(text, end, prefix))
                {
                    return true;
                }
            }
        }

        // No class holds a backslash, so the walk stops at the latest on one: an escape the walk met, wherever it
        // stopped, lies within the six units before where it ended.
        return escaped && TextUnits.EscapeNear(text, end);
    }

    // Compares backwards; under ignoreCase an ASCII letter matches either case or any non-ASCII character (the regex
    // engine's case equivalences, such as the Kelvin sign for k, are all outside ASCII).
    private bool EndsWith<T>(ReadOnlySpan<T> text, int end, string prefix)
        where T : unmanaged
    {
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (end == 0)
            {
                return false;
            }

            var unit = TextUnits.At(text, end - 1);
            var expected = prefix[i];
            var letter = _ignoreCase && char.IsAsciiLetter(expected);
            if (unit >= 128)
            {
                if (!letter)
                {
                    return false;
                }

                end = TextUnits.StartOfNonAscii(text, end);
                continue;
            }

            if (unit != expected && !(letter && (unit | 0x20) == (expected | 0x20)))
            {
                return false;
            }

            end--;
        }

        return true;
    }

    // The walk takes, for each class from the trigger back, the longest run it can. That run is the only one a match
    // can have when no character of the class may also be the one just before it: the previous class's, or, past
    // classes that may be empty, an earlier one's or a prefix's last character.
    private void CheckGreedyWalkIsExact(IReadOnlyList<string> followedBy, CharClass lastChars, string source)
    {
        for (var i = 0; i < _steps.Length; i++)
        {
            var before = default(CharClass);
            var j = i - 1;
            for (; j >= 0; j--)
            {
                before = before.Union(_steps[j].Class);
                if (_steps[j].Min > 0)
                {
                    break;
                }
            }

            if (j < 0)
            {
                before = before.Union(lastChars);
            }

            if (_steps[i].Class.Overlaps(before))
            {
                throw new InvalidDataException($"{source}: '{followedBy[i]}' shares characters with what may come just before it, so the pre-filter's walk back from the trigger could miss a match.");
            }
        }
    }

    private readonly record struct Step(CharClass Class, int Min, int Max);
}
