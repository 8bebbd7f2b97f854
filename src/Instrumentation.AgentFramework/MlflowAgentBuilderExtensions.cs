using System;
using Instrumentation.AgentFramework;

namespace Microsoft.Agents.AI;

/// <summary>
/// MLflow tracing for Microsoft Agent Framework agents: <see cref="UseMlflowTracing(AIAgentBuilder)"/>. Declared in the
/// framework's namespace so <c>using Microsoft.Agents.AI;</c> finds it beside the builder's own <c>Use…</c> methods.
/// </summary>
public static class MlflowAgentBuilderExtensions
{
    /// <summary>
    /// Records every <c>RunAsync</c> and <c>RunStreamingAsync</c> of the agent as one MLflow <c>AGENT</c> span
    /// (<c>gen_ai.operation.name</c> = <c>invoke_agent</c>) on the <c>Instrumentation.Agents</c> source: inputs
    /// <c>{"messages":[{"role":"user","content":"…"}]}</c> (the messages passed to the run), output the final answer's
    /// text, the agent's name, id and description as <c>gen_ai.agent.name</c>, <c>gen_ai.agent.id</c> and
    /// <c>gen_ai.agent.description</c>, and a <c>session.id</c> shared by every run on the same <see cref="AgentSession"/>.
    /// </summary>
    /// <remarks>
    /// <para>The session id is kept in the session's <see cref="AgentSession.StateBag"/>, so it survives
    /// <c>SerializeSessionAsync</c>/<c>DeserializeSessionAsync</c>. A new session takes the id of the ambient
    /// <c>TraceSession</c> when one is open, otherwise a new one (32 hex digits). The user comes from the ambient
    /// <c>TraceSession</c>. Model calls and tool calls made during the run (for example by
    /// <c>ChatClientBuilder.UseMlflowTracing()</c>) nest under the span and see the same session.</para>
    /// <para>Telemetry never changes the run: the response, the updates and any exception reach the caller unchanged.
    /// With nothing listening to the source the call goes straight to the inner agent.</para>
    /// <para>Beside Microsoft's <c>UseOpenTelemetry()</c> on the same agent, place this call outside it (first in the
    /// builder) or inside it: either way MLflow shows one agent span (docs/agent-framework.md, "Placement").</para>
    /// </remarks>
    /// <param name="builder">The agent builder, from <c>agent.AsBuilder()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AIAgentBuilder UseMlflowTracing(this AIAgentBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new MlflowTracingAgent(inner));
    }
}
