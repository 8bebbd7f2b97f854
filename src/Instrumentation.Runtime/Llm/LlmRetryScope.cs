using System;
using System.Diagnostics;
using System.Threading;
using Instrumentation.Runtime.Ambient;

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
public sealed class LlmRetryScope : IDisposable, IAmbientScope<LlmRetryScope>
{
    private static readonly AmbientSlot<LlmRetryScope> s_slot = new();

    private readonly LlmRetryScope? _previous;
    private int _attempts;
    private bool _disposed;

    private LlmRetryScope(string logicalCallId, LlmRetryScope? previous)
    {
        LogicalCallId = logicalCallId;
        _previous = previous;
    }

    /// <summary>The innermost open scope on this async flow, or <see langword="null"/>.</summary>
    public static LlmRetryScope? Current => s_slot.Current;

    /// <summary>The id every attempt shares.</summary>
    public string LogicalCallId { get; }

    /// <summary>How many attempts started so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Opens a scope for one logical request.</summary>
    /// <param name="logicalCallId">The id to share; default: a new random id of 16 hex digits.</param>
    public static LlmRetryScope Begin(string? logicalCallId = null)
    {
        var scope = new LlmRetryScope(logicalCallId ?? ActivitySpanId.CreateRandom().ToHexString(), s_slot.Current);
        s_slot.Enter(scope);
        return scope;
    }

    internal int NextAttempt() => Interlocked.Increment(ref _attempts);

    LlmRetryScope? IAmbientScope<LlmRetryScope>.Previous => _previous;

    bool IAmbientScope<LlmRetryScope>.HasEnded => _disposed;

    /// <summary>Closes the scope; the innermost enclosing scope still open becomes current again.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        s_slot.Leave(this);
    }
}
