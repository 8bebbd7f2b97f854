using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Instrumentation.Runtime;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Sessions;
using Instrumentation.Runtime.Spans;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Instrumentation.AgentFramework;

/// <summary>
/// One traced agent run: the AGENT span and the session scope the run's model and tool spans see. Fail-open: a
/// failure while recording is reported (<see cref="AgentTelemetry.ReportInternalError"/>) and never reaches the run.
/// </summary>
internal sealed class AgentRunSpan
{
    /// <summary>The span name when the agent has no name: the GenAI operation, as the conventions name agent spans.</summary>
    public const string UnnamedAgentSpanName = GenAiAttributes.Operations.InvokeAgent;

    /// <summary>
    /// The span name: the agent's name (MLflow's trace name when the run is the root). Deliberately not the conventions'
    /// <c>invoke_agent {name}</c>: under a current span so named, Microsoft.Extensions.AI's function invocation starts its
    /// execute_tool activities on that span's source, ours, where no hook of <c>ChatClientBuilder.UseMlflowTracing()</c>
    /// can turn them into TOOL spans.
    /// </summary>
    public static string SpanNameFor(AIAgent agent) =>
        string.IsNullOrWhiteSpace(agent.Name) ? UnnamedAgentSpanName : agent.Name!;

    private readonly LiveSpan _span;
    private readonly string? _sessionId;

    private AgentRunSpan(LiveSpan span, string? sessionId)
    {
        _span = span;
        _sessionId = sessionId;
    }

    /// <summary>Starts the span of a run of <paramref name="agent"/>, named <paramref name="spanName"/> or after the agent;
    /// it becomes <see cref="System.Diagnostics.Activity.Current"/>.</summary>
    public static AgentRunSpan Start(AIAgent agent, string? spanName, IEnumerable<ChatMessage> messages, AgentSession? session)
    {
        string? sessionId = null;
        try
        {
            sessionId = AgentSessionIds.For(session);
        }
        catch (Exception ex)
        {
            AgentTelemetry.ReportInternalError("reading the session id of an agent session", ex);
        }

        // The scope lets SpanFactory put session.id and user.id on the trace's root (this span, or an enclosing
        // request span): MLflow reads them from the root only.
        using var scope = TraceSession.Begin(sessionId);
        var span = AgentSpan.Start(
            spanName ?? SpanNameFor(agent),
            agentName: agent.Name,
            agentId: agent.Id,
            sessionId: sessionId,
            userId: scope.UserId);
        if (span.IsRecording)
        {
            if (!string.IsNullOrWhiteSpace(agent.Description))
            {
                span.SetAttribute(GenAiAttributes.AgentDescription, agent.Description);
            }

            if (span.CapturesContent)
            {
                try
                {
                    span.SetInputsJson(MessagesJson(messages));
                }
                catch (Exception ex)
                {
                    AgentTelemetry.ReportInternalError("recording the inputs of agent " + agent.Name, ex);
                }
            }
        }

        return new AgentRunSpan(span, sessionId);
    }

    /// <summary>
    /// Makes the span current and the run's session ambient until disposed: a streaming run calls it around each step
    /// of the inner stream, because an async iterator does not keep its ambient state between steps.
    /// </summary>
    public TraceSession EnterStep()
    {
        WrapperSpans.MakeCurrent(_span);
        return TraceSession.Begin(_sessionId);
    }

    /// <summary>The session scope for a whole non-streaming run.</summary>
    public TraceSession EnterRun() => TraceSession.Begin(_sessionId);

    /// <summary>Records the final answer's text as the output and ends the span.</summary>
    public void Complete(string? answer)
    {
        _span.SetOutput(answer ?? string.Empty);
        _span.End();
    }

    /// <summary>Records the failure and ends the span.</summary>
    public void Fail(Exception exception)
    {
        _span.SetError(exception);
        _span.End();
    }

    /// <summary>The run's input messages in the chat shape MLflow previews: <c>{"messages":[{"role":…,"content":…}]}</c>.</summary>
    internal static string MessagesJson(IEnumerable<ChatMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var message in messages)
            {
                writer.WriteStartObject();
                writer.WriteString("role", message.Role.Value);
                writer.WriteString("content", message.Text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
