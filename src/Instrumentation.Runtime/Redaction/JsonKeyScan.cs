using System;
using System.Buffers;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Finds the keys of JSON text without reading it as JSON: a key is a string followed, past white space, by a colon.
/// For text that holds no secret-shaped value this decides on its own that nothing needs redacting, which made a
/// tool call's arguments several times cheaper to record than a full reader pass did.
/// </summary>
internal static class JsonKeyScan
{
    private static readonly SearchValues<char> s_outsideStrings = SearchValues.Create("\"/");
    private static readonly SearchValues<char> s_insideStrings = SearchValues.Create("\"\\");

    /// <summary>Whether a key of <paramref name="json"/> may name a secret. Also yes whenever the scan cannot tell
    /// what the keys are: a key written with an escape, a comment (which the JSON reader skips, so a key may stand on
    /// either side of it), a string left open.</summary>
    public static bool MayHaveSecretKey(ReadOnlySpan<char> json, Redactor redactor)
    {
        var i = 0;
        while (i < json.Length)
        {
            var found = json[i..].IndexOfAny(s_outsideStrings);
            if (found < 0)
            {
                return false;
            }

            i += found;
            if (json[i] == '/')
            {
                return true;
            }

            var start = i + 1;
            var end = start;
            var escaped = false;
            while (true)
            {
                var next = end < json.Length ? json[end..].IndexOfAny(s_insideStrings) : -1;
                if (next < 0)
                {
                    return true;
                }

                end += next;
                if (json[end] == '"')
                {
                    break;
                }

                // A backslash and the character it escapes.
                escaped = true;
                end += 2;
            }

            var after = end + 1;
            while (after < json.Length && json[after] is ' ' or '\t' or '\n' or '\r')
            {
                after++;
            }

            if (after < json.Length && json[after] == ':' && (escaped || redactor.IsSecretName(json[start..end])))
            {
                return true;
            }

            i = end + 1;
        }

        return false;
    }
}
