using System.Collections.Generic;

namespace Instrumentation.OpenClaw.Input;

/// <summary>
/// Hook names: the ones the bridge reads, and every name OpenClaw 2026.9.6 defines (docs/openclaw-hooks.md §2), so a
/// line with a name outside both sets can be counted as an unknown hook.
/// </summary>
public static class HookNames
{
    /// <summary><c>before_agent_reply</c>: first hook of a user turn; carries the cleaned user text.</summary>
    public const string BeforeAgentReply = "before_agent_reply";

    /// <summary><c>before_model_resolve</c>: once per turn, before the model is chosen.</summary>
    public const string BeforeModelResolve = "before_model_resolve";

    /// <summary><c>agent_turn_prepare</c>: first hook of each attempt.</summary>
    public const string AgentTurnPrepare = "agent_turn_prepare";

    /// <summary><c>before_prompt_build</c>: once per attempt.</summary>
    public const string BeforePromptBuild = "before_prompt_build";

    /// <summary><c>before_agent_run</c>: once per attempt.</summary>
    public const string BeforeAgentRun = "before_agent_run";

    /// <summary><c>llm_input</c>: once per attempt: system prompt, history and prompt.</summary>
    public const string LlmInput = "llm_input";

    /// <summary><c>llm_output</c>: once per attempt, after <c>agent_end</c>, with the attempt's summed usage.</summary>
    public const string LlmOutput = "llm_output";

    /// <summary><c>model_call_started</c>: a provider call begins.</summary>
    public const string ModelCallStarted = "model_call_started";

    /// <summary><c>model_call_ended</c>: a provider call ends (duration, time to first byte, bytes, outcome).</summary>
    public const string ModelCallEnded = "model_call_ended";

    /// <summary><c>before_agent_finalize</c>: an attempt is about to end.</summary>
    public const string BeforeAgentFinalize = "before_agent_finalize";

    /// <summary><c>agent_end</c>: an attempt ended.</summary>
    public const string AgentEnd = "agent_end";

    /// <summary><c>before_tool_call</c>: a tool call starts.</summary>
    public const string BeforeToolCall = "before_tool_call";

    /// <summary><c>after_tool_call</c>: a tool call ended (result or error, duration).</summary>
    public const string AfterToolCall = "after_tool_call";

    /// <summary><c>tool_result_persist</c>: a tool result is written to the transcript.</summary>
    public const string ToolResultPersist = "tool_result_persist";

    /// <summary><c>before_message_write</c>: a transcript message (user, assistant, tool result) is written.</summary>
    public const string BeforeMessageWrite = "before_message_write";

    /// <summary><c>subagent_spawned</c>: a sub-agent run was started.</summary>
    public const string SubagentSpawned = "subagent_spawned";

    /// <summary><c>subagent_progress</c>: a sub-agent run started or ended.</summary>
    public const string SubagentProgress = "subagent_progress";

    /// <summary><c>subagent_ended</c>: a sub-agent session ended (also fired by <c>/reset</c> for the session itself).</summary>
    public const string SubagentEnded = "subagent_ended";

    /// <summary><c>provider_call</c>: the bridge's invocation-scoped provider-call record
    /// (docs/openclaw-bridge.md).</summary>
    public const string ProviderCall = "provider_call";

    /// <summary><c>__plugin_register__</c>: the recorder's own registration line.</summary>
    public const string PluginRegister = "__plugin_register__";

    /// <summary>
    /// OpenClaw 2026.9.6's typed hook names (<c>PluginHookName</c>, 42 names), in the order of the upstream union: the
    /// C# copy of the plugin's <c>HOOK_NAMES</c> (integrations/openclaw-plugin/src/hook-names.js), which a test keeps
    /// equal to it. A name the bridge reads is spelled once, by its constant above.
    /// </summary>
    internal static IReadOnlyList<string> OpenClaw { get; } = new[]
    {
        BeforeModelResolve, AgentTurnPrepare, BeforePromptBuild, BeforeAgentReply,
        ModelCallStarted, ModelCallEnded, LlmInput, LlmOutput, BeforeAgentFinalize,
        AgentEnd, "before_compaction", "after_compaction", "before_reset", "inbound_claim",
        "channel_pairing_requested", "message_received", "message_sending", "reply_payload_sending",
        "message_sent", BeforeToolCall, AfterToolCall, ToolResultPersist, BeforeMessageWrite,
        "session_start", "session_end", "subagent_delivery_target", SubagentSpawned, SubagentProgress,
        SubagentEnded, "gateway_start", "gateway_stop", "heartbeat_prompt_contribution", "cron_reconciled",
        "cron_changed", "skill_proposal_evaluate", "skill_proposal_changed", "skill_changed",
        "before_dispatch", "reply_dispatch", "before_install", BeforeAgentRun, "resolve_exec_env",
    };

    /// <summary>Every name a line may carry: <see cref="OpenClaw"/> plus the recorder's (<see cref="PluginRegister"/>)
    /// and the bridge's (<see cref="ProviderCall"/>) own; compared ordinally (case-sensitive).</summary>
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(OpenClaw, System.StringComparer.Ordinal)
    {
        ProviderCall, PluginRegister,
    };
}
