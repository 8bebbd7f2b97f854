using System;
using System.Runtime.CompilerServices;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Reads text one code unit at a time, whether it is UTF-16 (<see cref="char"/>) or UTF-8 (<see cref="byte"/>), so the
/// secret-value pre-filter runs on either without decoding one into the other. Every rule's literal characters are
/// ASCII, which both encodings write as one unit of the same value; anything else is a unit of 128 or more.
/// </summary>
internal static class TextUnits
{
    /// <summary>The unit at <paramref name="index"/> as a number: the same for an ASCII character in both encodings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int At<T>(ReadOnlySpan<T> text, int index)
        where T : unmanaged
    {
        ref readonly var unit = ref text[index];
        return typeof(T) == typeof(byte) ? Unsafe.As<T, byte>(ref Unsafe.AsRef(in unit)) : Unsafe.As<T, char>(ref Unsafe.AsRef(in unit));
    }

    /// <summary>Where the non-ASCII character that ends just before <paramref name="end"/> starts: one UTF-16 unit back
    /// (a surrogate counts as a character of its own, as the regex engine sees it), or back over UTF-8 continuation
    /// bytes to the lead byte.</summary>
    public static int StartOfNonAscii<T>(ReadOnlySpan<T> text, int end)
        where T : unmanaged
    {
        var start = end - 1;
        if (typeof(T) == typeof(byte))
        {
            while (start > 0 && (At(text, start) & 0xC0) == 0x80)
            {
                start--;
            }
        }

        return start;
    }

    /// <summary>Whether a backslash is among the six units before <paramref name="end"/>: in JSON text, the unit there
    /// may belong to an escape (<c>\t</c>, <c>\"</c>, <c>\u0020</c>) that stands for another character.</summary>
    public static bool EscapeNear<T>(ReadOnlySpan<T> text, int end)
        where T : unmanaged
    {
        for (var i = Math.Max(0, end - 6); i < end; i++)
        {
            if (At(text, i) == '\\')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="text"/> holds <paramref name="prefix"/> starting at <paramref name="start"/>,
    /// compared exactly: the filter refuses prefixes that ignore case and hold letters on this path.</summary>
    public static bool StartsWithAt<T>(ReadOnlySpan<T> text, int start, string prefix)
        where T : unmanaged
    {
        if (start < 0 || start + prefix.Length > text.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (At(text, start + i) != prefix[i])
            {
                return false;
            }
        }

        return true;
    }
}
