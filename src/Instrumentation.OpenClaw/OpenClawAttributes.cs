namespace Instrumentation.OpenClaw;

/// <summary>
/// The OpenClaw-specific span attributes the bridge adds beside the MLflow and GenAI ones (which only the runtime's span
/// types write), all under the <c>openclaw.</c> prefix. Everything else a span carries comes from the runtime. Values are
/// strings unless a key says otherwise; an attribute whose source field is absent is not set.
/// </summary>
public static class OpenClawAttributes
{
    /// <summary><c>openclaw.run_id</c>: the run (<c>ctx.runId</c>), on AGENT spans.</summary>
    public const string RunId = "openclaw.run_id";

    /// <summary><c>openclaw.session_id</c>: OpenClaw's session UUID (<c>ctx.sessionId</c>); the session key is <c>session.id</c>.</summary>
    public const string SessionId = "openclaw.session_id";

    /// <summary><c>openclaw.trace_id</c>: OpenClaw's own W3C trace id (<c>ctx.trace.traceId</c>), to find the same run in
    /// OpenClaw's diagnostics-otel export. The MLflow trace id is a fresh one per replay.</summary>
    public const string TraceId = "openclaw.trace_id";

    /// <summary><c>openclaw.span_id</c>: OpenClaw's span id for the run attempt, model call or tool loop.</summary>
    public const string SpanId = "openclaw.span_id";

    /// <summary><c>openclaw.trigger</c>: <c>user</c>, <c>cron</c>, <c>heartbeat</c>, ...</summary>
    public const string Trigger = "openclaw.trigger";

    /// <summary><c>openclaw.channel</c>.</summary>
    public const string Channel = "openclaw.channel";

    /// <summary><c>openclaw.model_ref</c>: <c>provider/model</c> as <c>llm_output.resolvedRef</c> names it.</summary>
    public const string ModelRef = "openclaw.model_ref";

    /// <summary><c>openclaw.turn.kind</c>: <c>user</c>, <c>subagent</c> or <c>announce</c>.</summary>
    public const string TurnKind = "openclaw.turn.kind";

    /// <summary><c>openclaw.turn.attempts</c> (integer): how many attempts the run took (more than one after provider
    /// errors).</summary>
    public const string TurnAttempts = "openclaw.turn.attempts";

    /// <summary><c>openclaw.parent_run_id</c>: for a sub-agent or announce run, the run that spawned it.</summary>
    public const string ParentRunId = "openclaw.parent_run_id";

    /// <summary><c>openclaw.attempt</c> (integer, from 1): the attempt a span belongs to.</summary>
    public const string Attempt = "openclaw.attempt";

    /// <summary><c>openclaw.attempt.agent_end_success</c> (boolean): <c>agent_end.success</c> as reported (true even after
    /// a provider error).</summary>
    public const string AttemptAgentEndSuccess = "openclaw.attempt.agent_end_success";

    /// <summary><c>openclaw.llm.source</c>: what the LLM span was built from: <c>model_call</c>, <c>provider_call</c> or
    /// <c>transcript</c> (an assistant message with no model-call hooks).</summary>
    public const string LlmSource = "openclaw.llm.source";

    /// <summary><c>openclaw.llm.stop_reason</c>: the transcript's <c>stopReason</c> (<c>stop</c>, <c>toolUse</c>, <c>error</c>).</summary>
    public const string LlmStopReason = "openclaw.llm.stop_reason";

    /// <summary><c>openclaw.llm.error_code</c>: the assistant message's <c>errorCode</c>.</summary>
    public const string LlmErrorCode = "openclaw.llm.error_code";

    /// <summary><c>openclaw.model_call.id</c>: <c>model_call_*</c> <c>callId</c> (<c>&lt;runId&gt;:model:&lt;n&gt;</c>).</summary>
    public const string ModelCallId = "openclaw.model_call.id";

    /// <summary><c>openclaw.model_call.kind</c>: <c>compaction</c> for an internal compaction call.</summary>
    public const string ModelCallKind = "openclaw.model_call.kind";

    /// <summary><c>openclaw.model_call.api</c>.</summary>
    public const string ModelCallApi = "openclaw.model_call.api";

    /// <summary><c>openclaw.model_call.transport</c>.</summary>
    public const string ModelCallTransport = "openclaw.model_call.transport";

    /// <summary><c>openclaw.model_call.outcome</c>: <c>completed</c> or <c>error</c>.</summary>
    public const string ModelCallOutcome = "openclaw.model_call.outcome";

    /// <summary><c>openclaw.model_call.error_category</c>.</summary>
    public const string ModelCallErrorCategory = "openclaw.model_call.error_category";

    /// <summary><c>openclaw.model_call.failure_kind</c>: <c>aborted</c>, <c>timeout</c>, <c>connection_reset</c>, ...</summary>
    public const string ModelCallFailureKind = "openclaw.model_call.failure_kind";

    /// <summary><c>openclaw.model_call.request_payload_bytes</c> (integer, bytes): the request body's size.</summary>
    public const string RequestPayloadBytes = "openclaw.model_call.request_payload_bytes";

    /// <summary><c>openclaw.model_call.response_stream_bytes</c> (integer, bytes): the streamed response's size.</summary>
    public const string ResponseStreamBytes = "openclaw.model_call.response_stream_bytes";

    /// <summary><c>openclaw.model_call.upstream_request_id_hash</c>: OpenClaw's hash of the provider's request id.</summary>
    public const string UpstreamRequestIdHash = "openclaw.model_call.upstream_request_id_hash";

    /// <summary><c>openclaw.provider_call.id</c>: the provider_call record's <c>callId</c>.</summary>
    public const string ProviderCallId = "openclaw.provider_call.id";

    /// <summary><c>openclaw.provider_call.attempt</c> (integer, from 1): the transport attempt within the logical call.</summary>
    public const string ProviderCallAttempt = "openclaw.provider_call.attempt";

    /// <summary><c>openclaw.provider_call.response_bytes</c> (integer, bytes): the response's size as the provider_call
    /// record reports it.</summary>
    public const string ProviderCallResponseBytes = "openclaw.provider_call.response_bytes";

    /// <summary><c>openclaw.tool.exit_code</c> (integer): <c>result.details.exitCode</c> (an <c>exec</c> exit code; not an
    /// error).</summary>
    public const string ToolExitCode = "openclaw.tool.exit_code";

    /// <summary><c>openclaw.tool.result_is_error</c> (boolean): <c>tool_result_persist.message.isError</c>.</summary>
    public const string ToolResultIsError = "openclaw.tool.result_is_error";

    /// <summary><c>openclaw.tool.synthetic_result</c> (boolean, only <c>true</c>): the persisted result was synthesized
    /// by OpenClaw.</summary>
    public const string ToolSyntheticResult = "openclaw.tool.synthetic_result";

    /// <summary><c>openclaw.subagent.child_run_id</c>: on a <c>sessions_spawn</c> TOOL span and a sub-agent AGENT span.</summary>
    public const string SubagentChildRunId = "openclaw.subagent.child_run_id";

    /// <summary><c>openclaw.subagent.child_session_key</c>.</summary>
    public const string SubagentChildSessionKey = "openclaw.subagent.child_session_key";

    /// <summary><c>openclaw.subagent.label</c>.</summary>
    public const string SubagentLabel = "openclaw.subagent.label";

    /// <summary><c>openclaw.subagent.mode</c>: <c>run</c> or <c>session</c>.</summary>
    public const string SubagentMode = "openclaw.subagent.mode";

    /// <summary><c>openclaw.subagent.outcome</c>: <c>subagent_ended.outcome</c> (<c>ok</c>, <c>error</c>, <c>timeout</c>, <c>killed</c>, ...).</summary>
    public const string SubagentOutcome = "openclaw.subagent.outcome";

    /// <summary><c>openclaw.subagent.end_reason</c>: <c>subagent_ended.reason</c>.</summary>
    public const string SubagentEndReason = "openclaw.subagent.end_reason";

    /// <summary><c>openclaw.subagent.separate_trace</c> (boolean, only <c>true</c>): the child could not nest because
    /// OpenClaw gave it another trace id.</summary>
    public const string SubagentSeparateTrace = "openclaw.subagent.separate_trace";

    /// <summary><c>openclaw.announce.child_run_id</c>: the child run an announce run reports.</summary>
    public const string AnnounceChildRunId = "openclaw.announce.child_run_id";

    /// <summary><c>openclaw.timing.start_unknown</c> (boolean, only <c>true</c>): the span's start was not observed; it
    /// starts at the nearest observed time instead (see <see cref="TimingStartSource"/>).</summary>
    public const string TimingStartUnknown = "openclaw.timing.start_unknown";

    /// <summary><c>openclaw.timing.end_unknown</c> (boolean, only <c>true</c>): the span's end was not observed; it ends
    /// at the last event seen.</summary>
    public const string TimingEndUnknown = "openclaw.timing.end_unknown";

    /// <summary><c>openclaw.timing.start_source</c>: where a start not taken from the span's own start hook came from:
    /// <c>model_call_ended.durationMs</c> (end minus duration), <c>model_call_started</c>,
    /// <c>assistant_message.timestamp</c>, <c>after_tool_call.durationMs</c>, <c>provider_call.durationMs</c> or
    /// <c>first_event_seen</c>.</summary>
    public const string TimingStartSource = "openclaw.timing.start_source";

    /// <summary><c>openclaw.timing.end_source</c>: where an end not taken from the span's own end hook came from:
    /// <c>assistant_message_write</c>, <c>tool_result_persist</c> or <c>last_event_seen</c>.</summary>
    public const string TimingEndSource = "openclaw.timing.end_source";
}
