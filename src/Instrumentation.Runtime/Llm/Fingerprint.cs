using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Runtime.Llm;

/// <summary>Stable fingerprints of requests: the first 16 bytes of a SHA-256, as 32 lowercase hex digits.</summary>
internal static class Fingerprint
{
    // The full content, never capped nor redacted: two requests differing after the cap, or only in a secret, must not
    // share a fingerprint. Only the hash leaves this class.
    private static readonly CaptureSettings s_uncapped = CaptureSettings.From(new AgentTelemetryOptions { MaxValueBytes = int.MaxValue, Redaction = { Enabled = false } });

    public static string Of(IReadOnlyList<RecordedChatMessage> messages) => Of(ChatJson.Inputs(messages, model: null, s_uncapped));

    public static string Of(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexString(hash[..16]).ToLowerInvariant();
    }
}
