using System;
using Instrumentation.Runtime.Ambient;

namespace Instrumentation.Runtime.Sessions;

/// <summary>
/// An ambient session and user for the traces started inside it. The host opens one around a conversation turn;
/// every trace whose root starts inside it gets <c>session.id</c> and <c>user.id</c> on its root span, which MLflow
/// maps to the trace metadata <c>mlflow.trace.session</c> and <c>mlflow.trace.user</c> (the Sessions view, the
/// user column, and searches such as <c>metadata.`mlflow.trace.session` = '"chat-42"'</c>).
/// </summary>
/// <remarks>
/// The scope flows with the async context, like <see cref="System.Diagnostics.Activity.Current"/>. Dispose it to
/// restore the enclosing scope. When the root of the trace is another library's span (an ASP.NET Core request, say),
/// the attributes are set on that root while it runs, because MLflow reads them from the root only.
/// </remarks>
/// <example>
/// <code>
/// using (TraceSession.Begin(sessionId: conversation.Id, userId: user.Name))
/// {
///     await agent.RunAsync(question);
/// }
/// </code>
/// </example>
public sealed class TraceSession : IDisposable, IAmbientScope<TraceSession>
{
    private static readonly AmbientSlot<TraceSession> s_slot = new();

    private readonly TraceSession? _previous;
    private bool _disposed;

    private TraceSession(string? sessionId, string? userId, TraceSession? previous)
    {
        SessionId = sessionId;
        UserId = userId;
        _previous = previous;
    }

    /// <summary>The innermost open scope on this async flow, or <see langword="null"/>.</summary>
    public static TraceSession? Current => s_slot.Current;

    /// <summary>The session (conversation) id, recorded as <c>session.id</c>.</summary>
    public string? SessionId { get; }

    /// <summary>The user id, recorded as <c>user.id</c>.</summary>
    public string? UserId { get; }

    /// <summary>Opens a scope. A <see langword="null"/> argument inherits that value from the enclosing scope.</summary>
    /// <param name="sessionId">The session or conversation id, for example a chat thread id.</param>
    /// <param name="userId">The end user's id.</param>
    /// <returns>The scope; dispose it when the turn ends.</returns>
    public static TraceSession Begin(string? sessionId, string? userId = null)
    {
        var previous = s_slot.Current;
        var scope = new TraceSession(sessionId ?? previous?.SessionId, userId ?? previous?.UserId, previous);
        s_slot.Enter(scope);
        return scope;
    }

    TraceSession? IAmbientScope<TraceSession>.Previous => _previous;

    bool IAmbientScope<TraceSession>.HasEnded => _disposed;

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
