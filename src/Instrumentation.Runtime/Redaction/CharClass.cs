using System;
using System.IO;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// A set of characters as the rules file writes it, <c>[ \t]</c> or <c>[A-Za-z._~+/=_-]</c>: ASCII characters and
/// ranges, with <c>\t</c>, <c>\\</c>, <c>\[</c>, <c>\]</c> and <c>\-</c> as escapes. Under a rule that ignores
/// case, a class with a letter holds both cases of its letters and also every non-ASCII character, because the regex
/// engine matches some of those to ASCII letters (the Kelvin sign to <c>k</c>); counting all of them is the safe side
/// for a pre-filter.
/// </summary>
internal readonly struct CharClass
{
    // The ASCII set as two halves: a shift of a UInt128 by a variable count is a call, of a ulong one instruction.
    private readonly ulong _low;
    private readonly ulong _high;

    public CharClass(UInt128 ascii, bool nonAscii)
    {
        _low = (ulong)ascii;
        _high = (ulong)(ascii >> 64);
        NonAscii = nonAscii;
    }

    public UInt128 Ascii => new(_high, _low);

    public bool NonAscii { get; }

    public bool Contains(int unit) => unit < 64 ? ((_low >> unit) & 1) != 0 : unit < 128 ? ((_high >> unit) & 1) != 0 : NonAscii;

    public bool Overlaps(CharClass other) => (Ascii & other.Ascii) != UInt128.Zero || (NonAscii && other.NonAscii);

    public bool HasLetter => (Ascii & Letters) != UInt128.Zero;

    public CharClass Union(CharClass other) => new(Ascii | other.Ascii, NonAscii || other.NonAscii);

    /// <summary>The class of one character as a rule reads it.</summary>
    public static CharClass Of(char c, bool ignoreCase) => Build(UInt128.One << c, ignoreCase);

    /// <summary>Parses <c>[...]</c> from the start of <paramref name="text"/>; returns the class and where it ends.</summary>
    /// <exception cref="InvalidDataException">The text is not a class of ASCII characters.</exception>
    public static (CharClass Class, int End) Parse(string text, bool ignoreCase, string source)
    {
        if (text.Length == 0 || text[0] != '[')
        {
            throw new InvalidDataException($"{source}: '{text}' must start with a character class such as [0-9].");
        }

        UInt128 bits = UInt128.Zero;
        var i = 1;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new InvalidDataException($"{source}: '{text}' has no closing ].");
            }

            if (text[i] == ']')
            {
                break;
            }

            var low = Next(text, ref i, source);
            var high = low;
            if (i + 1 < text.Length && text[i] == '-' && text[i + 1] != ']')
            {
                i++;
                high = Next(text, ref i, source);
            }

            if (high < low)
            {
                throw new InvalidDataException($"{source}: '{text}' has the range {low}-{high}, which runs backwards.");
            }

            for (var c = low; c <= high; c++)
            {
                bits |= UInt128.One << c;
            }
        }

        return (Build(bits, ignoreCase), i + 1);
    }

    private static readonly UInt128 Letters = Range('A', 'Z') | Range('a', 'z');

    private static CharClass Build(UInt128 bits, bool ignoreCase)
    {
        if (!ignoreCase || (bits & Letters) == UInt128.Zero)
        {
            return new CharClass(bits, false);
        }

        // Setting bit 5 of an upper-case letter gives its lower case, and the other way round.
        var upper = bits & Range('A', 'Z');
        var lower = bits & Range('a', 'z');
        return new CharClass(bits | (upper << 32) | (lower >> 32), true);
    }

    private static UInt128 Range(char low, char high)
    {
        var bits = UInt128.Zero;
        for (var c = low; c <= high; c++)
        {
            bits |= UInt128.One << c;
        }

        return bits;
    }

    private static char Next(string text, ref int i, string source)
    {
        var c = text[i++];
        if (c == '\\' && i < text.Length)
        {
            c = text[i++] switch
            {
                't' => '\t',
                var escaped and ('\\' or ']' or '-' or '[') => escaped,
                var other => throw new InvalidDataException($"{source}: '{text}' has the escape \\{other}; only \\t, \\\\, \\], \\[ and \\- are read."),
            };
        }

        if (c >= 128)
        {
            throw new InvalidDataException($"{source}: '{text}' holds '{c}', which is not ASCII.");
        }

        return c;
    }
}
