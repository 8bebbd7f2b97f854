using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// Decides, at compile time, whether a parameter's name says it holds a secret. Names are split into words
/// (<c>apiKey</c> → api, key; <c>x_auth_token</c> → x, auth, token) and matched whole, so <c>maxTokens</c> or
/// <c>tokenizer</c> are not mistaken for secrets; numbers and booleans are never secrets.
/// </summary>
internal static class SecretNames
{
    private static readonly HashSet<string> s_secretWords = new(StringComparer.Ordinal)
    {
        "password", "passwd", "pwd", "passphrase", "secret", "token", "authorization", "apikey", "credential",
        "credentials", "bearer", "cookie",
    };

    public static bool LooksSecret(string name, ITypeSymbol type)
    {
        if (IsNumericOrBoolean(type))
        {
            return false;
        }

        var words = SplitWords(name);
        for (var i = 0; i < words.Count; i++)
        {
            if (s_secretWords.Contains(words[i]))
            {
                return true;
            }

            // "api key", "access key", "private key", "secret key" as two words.
            if (words[i] == "key" && i > 0 && words[i - 1] is "api" or "access" or "private" or "secret" or "signing")
            {
                return true;
            }
        }

        return false;
    }

    internal static List<string> SplitWords(string name)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            var boundary = i == name.Length
                || name[i] is '_' or '-'
                || (char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
                || (char.IsUpper(name[i]) && i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]));
            if (!boundary)
            {
                continue;
            }

            var word = name.Substring(start, i - start).Trim('_', '-', '@');
            if (word.Length > 0)
            {
                words.Add(word.ToLowerInvariant());
            }

            start = i;
        }

        return words;
    }

    private static bool IsNumericOrBoolean(ITypeSymbol type)
    {
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : type;
        return underlying.TypeKind == TypeKind.Enum || underlying.SpecialType is SpecialType.System_Boolean
            or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;
    }
}
