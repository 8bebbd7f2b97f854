using System.Threading;

namespace Instrumentation.Runtime.Ambient;

/// <summary>A scope an <see cref="AmbientSlot{TScope}"/> holds: it knows the scope that was current when it opened,
/// and whether it has ended.</summary>
internal interface IAmbientScope<out TScope>
    where TScope : class
{
    TScope? Previous { get; }

    bool HasEnded { get; }
}

/// <summary>
/// The innermost open scope of one kind on the current async flow, for the runtime's <c>using</c> scopes
/// (<see cref="Sessions.TraceSession"/>, <see cref="Llm.LlmRetryScope"/>). When the current scope ends, the innermost
/// enclosing scope that is still open becomes current: ending scopes out of order (an outer one first) or twice never
/// brings back a scope that already ended. Ending a scope that is not current changes nothing now; it is skipped later.
/// </summary>
internal sealed class AmbientSlot<TScope>
    where TScope : class, IAmbientScope<TScope>
{
    private readonly AsyncLocal<TScope?> _current = new();

    public TScope? Current => _current.Value;

    public void Enter(TScope scope) => _current.Value = scope;

    /// <summary>Call once the scope has ended (<see cref="IAmbientScope{TScope}.HasEnded"/> is true).</summary>
    public void Leave(TScope scope)
    {
        if (!ReferenceEquals(_current.Value, scope))
        {
            return;
        }

        var previous = scope.Previous;
        while (previous is { HasEnded: true })
        {
            previous = previous.Previous;
        }

        _current.Value = previous;
    }
}
