using System;
using System.Globalization;
using System.Text;

namespace Instrumentation.Mlflow;

/// <summary>How the trace tree shows values: durations for people, text safe for a terminal, attributes as text.</summary>
internal static class DisplayText
{
    /// <summary>A duration for people: <c>850 µs</c>, <c>3.2 ms</c>, <c>120 ms</c>, <c>1.24 s</c>, <c>12.3 s</c>,
    /// <c>2 min 5 s</c>, <c>1 h 2 min</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        var inv = CultureInfo.InvariantCulture;
        var ticks = Math.Max(0, duration.Ticks);
        var micros = ticks / 10.0;
        if (Math.Round(micros) < 1)
        {
            return "<1 µs";
        }

        if (Math.Round(micros) < 1000)
        {
            return Math.Round(micros).ToString("0", inv) + " µs";
        }

        var millis = ticks / (double)TimeSpan.TicksPerMillisecond;
        if (Math.Round(millis, 1) < 10)
        {
            return millis.ToString("0.#", inv) + " ms";
        }

        if (Math.Round(millis) < 1000)
        {
            return Math.Round(millis).ToString("0", inv) + " ms";
        }

        var seconds = ticks / (double)TimeSpan.TicksPerSecond;
        if (Math.Round(seconds, 2) < 10)
        {
            return seconds.ToString("0.##", inv) + " s";
        }

        if (Math.Round(seconds, 1) < 60)
        {
            return seconds.ToString("0.#", inv) + " s";
        }

        var wholeSeconds = (long)Math.Round(seconds);
        if (wholeSeconds < 3600)
        {
            return $"{wholeSeconds / 60} min {wholeSeconds % 60} s";
        }

        var wholeMinutes = (long)Math.Round(seconds / 60);
        return $"{wholeMinutes / 60} h {wholeMinutes % 60} min";
    }

    /// <summary>One line, safe for a terminal: line breaks (with the indentation around them) and control characters
    /// become single spaces; cut to <paramref name="max"/> characters with <c>…</c> when longer.</summary>
    public static string OneLine(string text, int max = int.MaxValue)
    {
        var builder = new StringBuilder(Math.Min(text.Length, max == int.MaxValue ? text.Length : max + 1));
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                // Drop the whitespace that led up to the break and the indentation that follows it.
                while (builder.Length > 0 && builder[^1] == ' ')
                {
                    builder.Length--;
                }

                while (i + 1 < text.Length && text[i + 1] is ' ' or '\t' or '\r' or '\n')
                {
                    i++;
                }

                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(char.IsControl(c) ? ' ' : c);
            if (builder.Length > max)
            {
                break;
            }
        }

        if (builder.Length <= max)
        {
            return builder.ToString();
        }

        var cut = max - 1;
        if (cut > 0 && char.IsHighSurrogate(builder[cut - 1]))
        {
            cut--;
        }

        return builder.ToString(0, cut) + "…";
    }

    /// <summary>Text as a string, whatever the attribute's type.</summary>
    public static string? AsText(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Whether an attribute says yes: <see langword="true"/>, or the text <c>true</c> in any case.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => string.Equals(s.Trim(), "true", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
