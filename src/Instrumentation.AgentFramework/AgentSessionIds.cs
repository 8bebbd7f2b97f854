using System;
using Instrumentation.Runtime.Sessions;
using Microsoft.Agents.AI;

namespace Instrumentation.AgentFramework;

/// <summary>
/// The MLflow session id of an <see cref="AgentSession"/>: chosen on the session's first traced run and kept in its
/// <see cref="AgentSession.StateBag"/>, which the framework serializes with the session, so a session restored from
/// storage continues the same MLflow session.
/// </summary>
internal static class AgentSessionIds
{
    /// <summary>The state-bag key. Namespaced so it cannot collide with the framework's or the application's keys.</summary>
    public const string StateKey = "Instrumentation.Agents.SessionId";

    /// <summary>
    /// The session's id: the one stored in it; else the ambient <see cref="TraceSession"/>'s, else a new one (32 hex
    /// digits), stored for the next runs. <see langword="null"/> without a session: a run without one has no MLflow
    /// session unless a <see cref="TraceSession"/> gives one.
    /// </summary>
    public static string? For(AgentSession? session)
    {
        var ambient = TraceSession.Current?.SessionId;
        if (session is null)
        {
            return ambient;
        }

        if (session.StateBag.TryGetValue<string>(StateKey, out var stored) && !string.IsNullOrEmpty(stored))
        {
            return stored;
        }

        var id = ambient ?? Guid.NewGuid().ToString("N");
        session.StateBag.SetValue(StateKey, id);
        return id;
    }
}
