// The typed hook names of OpenClaw's `PluginHookName` union (openclaw@2026.9.6,
// dist/plugin-entry-*.d.ts). `api.on()` accepts exactly these; an unknown name
// is ignored by OpenClaw with a registration warning, so keeping this list in
// step with the host only matters for completeness, never for safety.
//
// The order follows the upstream union so a diff against a newer release is easy.
export const HOOK_NAMES = Object.freeze([
  "before_model_resolve",
  "agent_turn_prepare",
  "before_prompt_build",
  "before_agent_reply",
  "model_call_started",
  "model_call_ended",
  "llm_input",
  "llm_output",
  "before_agent_finalize",
  "agent_end",
  "before_compaction",
  "after_compaction",
  "before_reset",
  "inbound_claim",
  "channel_pairing_requested",
  "message_received",
  "message_sending",
  "reply_payload_sending",
  "message_sent",
  "before_tool_call",
  "after_tool_call",
  "tool_result_persist",
  "before_message_write",
  "session_start",
  "session_end",
  "subagent_delivery_target",
  "subagent_spawned",
  "subagent_progress",
  "subagent_ended",
  "gateway_start",
  "gateway_stop",
  "heartbeat_prompt_contribution",
  "cron_reconciled",
  "cron_changed",
  "skill_proposal_evaluate",
  "skill_proposal_changed",
  "skill_changed",
  "before_dispatch",
  "reply_dispatch",
  "before_install",
  "before_agent_run",
  "resolve_exec_env",
]);

// Hooks whose mere registration changes what OpenClaw does, even though our
// handler returns undefined. They are recorded only when listed explicitly in
// the `hooks` option. Found by reading openclaw@2026.9.6's dist code:
// - message_sending, reply_payload_sending: when any plugin registers one,
//   channels switch to the hookable delivery path; Telegram turns off its
//   streaming reply preview (allowProviderPreview) and task-progress previews
//   are suppressed. For tracing, `message_sent` already carries what was sent.
// - skill_proposal_evaluate: every registered handler is a Skill Workshop
//   evaluator. OpenClaw then builds evaluation bundles (which can fail on large
//   skills) and stores a "skipped" outcome under this plugin's name.
export const BEHAVIOR_CHANGING_HOOKS = Object.freeze(["message_sending", "reply_payload_sending", "skill_proposal_evaluate"]);

// What is recorded when the `hooks` option is not set.
export const DEFAULT_HOOKS = Object.freeze(HOOK_NAMES.filter((name) => !BEHAVIOR_CHANGING_HOOKS.includes(name)));

// Pseudo hook name of the line written for every register() call. It is not an
// OpenClaw hook; it tells the reader which registration instance (and mode)
// the following lines' `instance` numbers refer to.
export const REGISTER_HOOK = "__plugin_register__";
