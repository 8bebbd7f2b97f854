using System;
using System.Diagnostics;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Sessions;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// Starts agent spans: MLflow span type <c>AGENT</c>, <c>gen_ai.operation.name</c> = <c>invoke_agent</c>.
/// </summary>
public static class AgentSpan
{
    /// <summary>Starts an agent span.</summary>
    /// <param name="name">The span name shown in MLflow (the trace name when this is the root).</param>
    /// <param name="agentName">The agent's name, recorded as <c>gen_ai.agent.name</c>.</param>
    /// <param name="agentId">The agent's id, recorded as <c>gen_ai.agent.id</c>.</param>
    /// <param name="sessionId">The session, recorded as <c>session.id</c> on this span and <c>gen_ai.conversation.id</c>.
    /// Default: the ambient <see cref="TraceSession"/>, whose id goes on the trace's root span.</param>
    /// <param name="userId">The user, recorded as <c>user.id</c> on this span. Default: the ambient <see cref="TraceSession"/>.</param>
    /// <param name="startTime">When the span started, for a replayed span. Default: now.</param>
    /// <param name="parent">The parent context. Default: <see cref="Activity.Current"/>.</param>
    public static LiveSpan Start(string name, string? agentName = null, string? agentId = null, string? sessionId = null,
        string? userId = null, DateTimeOffset startTime = default, ActivityContext parent = default)
    {
        var activity = SpanFactory.Start(name, MlflowSpanTypes.Agent, ActivityKind.Internal, startTime, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.InvokeAgent);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.AgentName, agentName);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.AgentId, agentId);
            SpanFactory.SetIfPresent(activity, CommonAttributes.SessionId, sessionId);
            SpanFactory.SetIfPresent(activity, CommonAttributes.UserId, userId);
            SpanFactory.SetIfPresent(activity, GenAiAttributes.ConversationId, sessionId ?? TraceSession.Current?.SessionId);
        }

        return new LiveSpan(activity);
    }
}
