using System;
using Instrumentation.AgentFramework;
using Microsoft.Agents.AI;

namespace Instrumentation;

/// <summary>
/// <c>UseMlflowTracing()</c> for files that import <c>Instrumentation</c> rather than <c>Microsoft.Agents.AI</c>, with an
/// optional span name. When both namespaces are imported, <c>UseMlflowTracing()</c> binds to
/// <see cref="MlflowAgentBuilderExtensions.UseMlflowTracing(AIAgentBuilder)"/> (C# prefers the overload that needs no
/// default argument) and <c>UseMlflowTracing("name")</c> to this one, so no call is ambiguous.
/// </summary>
public static class InstrumentationAgentBuilderExtensions
{
    /// <summary>
    /// Same as <see cref="MlflowAgentBuilderExtensions.UseMlflowTracing(AIAgentBuilder)"/>, with the span's name (the
    /// MLflow trace name when the agent span is the root) given here instead of taken from the agent.
    /// </summary>
    /// <param name="builder">The agent builder.</param>
    /// <param name="spanName">The span name. Default: the agent's <c>Name</c>, or <c>invoke_agent</c> when it has none.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static AIAgentBuilder UseMlflowTracing(this AIAgentBuilder builder, string? spanName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new MlflowTracingAgent(inner, spanName));
    }
}
