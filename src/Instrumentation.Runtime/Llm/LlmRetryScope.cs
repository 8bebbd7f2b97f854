using System;
using System.Diagnostics;
using System.Threading;

namespace Instrumentation.Runtime.Llm;

/// <summary>
/// Marks one logical model request that may be sent several times (retries, fallbacks): every <c>[LlmCall]</c>
/// invocation inside the scope is one attempt, numbered from 1, sharing the scope's <see cref="LogicalCallId"/>. The LLM
/// spans carry <c>instrumentation.llm.logical_call_id</c> and <c>instrumentation.llm.attempt</c>, and observers see both
/// in <see cref="LlmCallInfo"/>.
/// </summary>
/// <example>
/// <code>
/// using (LlmRetryScope.Begin())
/// {
///     for (var attempt = 1; ; attempt++)
///     {
///         try { return await CompleteAsync(messages); }
///         catch (HttpRequestException) when (attempt &lt; 3) { await Task.Delay(backoff); }
///     }
/// }
/// </code>
/// </example>
public sealed class LlmRetryScope : IDisposable
{
    private static readonly AsyncLocal<LlmRetryScope?> s_current = new();

    private readonly LlmRetryScope? _previous;
    private int _attempts;
    private bool _disposed;

    private LlmRetryScope(string logicalCallId, LlmRetryScope? previous)
    {
        LogicalCallId = logicalCallId;
        _previous = previous;
    }

    /// <summary>The innermost open scope on this async flow, or <see langword="null"/>.</summary>
    public static LlmRetryScope? Current => s_current.Value;

    /// <summary>The id every attempt shares.</summary>
    public string LogicalCallId { get; }

    /// <summary>How many attempts started so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Opens a scope for one logical request.</summary>
    /// <param name="logicalCallId">The id to share; default: a new random id of 16 hex digits.</param>
    public static LlmRetryScope Begin(string? logicalCallId = null)
    {
        var scope = new LlmRetryScope(logicalCallId ?? ActivitySpanId.CreateRandom().ToHexString(), s_current.Value);
        s_current.Value = scope;
        return scope;
    }

    internal int NextAttempt() => Interlocked.Increment(ref _attempts);

    /// <summary>Closes the scope and restores the enclosing one.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (s_current.Value == this)
        {
            s_current.Value = _previous;
        }
    }
}
