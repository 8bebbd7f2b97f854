// OpenClaw plugin: records every typed plugin hook call as one JSON line, the
// input of the MLflow bridge (`Instrumentation.OpenClaw.Cli follow <file>`).
//
// The one rule of this plugin: it must never change or break what OpenClaw
// does. Every handler is a plain (non-async) function that returns undefined
// synchronously. That matters because several hooks act on the return value:
// `before_tool_call` and `before_agent_run` are gates (and for
// `before_agent_run` a `null` result counts as an invalid decision and BLOCKS
// the run; only `undefined` means "no opinion"), `before_message_write` and
// `tool_result_persist` are synchronous modifiers that warn about promises,
// the claim hooks stop at the first `{handled: true}`. Every handler and
// register() itself catch all errors; disk I/O happens later, outside the hook
// (src/writer.js). Three hooks change OpenClaw's behaviour merely by being
// registered and are therefore off by default (see BEHAVIOR_CHANGING_HOOKS).

import { HOOK_NAMES, REGISTER_HOOK } from "./src/hook-names.js";
import { createBridgeService } from "./src/bridge-service.js";
import { addMlflowCommands, CLI_DESCRIPTOR, hostDeps } from "./src/cli.js";
import { resolveSettings } from "./src/config.js";
import { resolveMlflowSettings } from "./src/mlflow-settings.js";
import { recordHook, recordRegistration } from "./src/recorder.js";
import { log, sharedState, warnOnce } from "./src/shared-state.js";
import { setOutFile, setRotation } from "./src/writer.js";

export const PLUGIN_ID = "mlflow-trace-recorder";
export const PLUGIN_VERSION = "0.1.0";

// Modify and claim hooks run handlers one at a time, highest priority first,
// and stop early when one blocks or claims. Running first means the recorder
// sees every event, including tool calls another plugin then blocks and
// messages another plugin claims. The price: for modify hooks the recorded
// event is the one before other plugins' changes (after_tool_call and
// before_message_write show the final values). Our handler returns undefined,
// so going first never changes the outcome.
const OBSERVER_PRIORITY = 1_000_000;

function register(api) {
  try {
    registerRecorder(api);
  } catch (error) {
    // A failed register() would mark the plugin as errored; a recorder that
    // cannot start must stay invisible instead.
    try {
      api?.logger?.warn?.(`[${PLUGIN_ID}] not recording: ${describe(error)}`);
    } catch {
      // Nothing left to report to.
    }
  }
}

function registerRecorder(api) {
  const mode = api?.registrationMode;
  registerCommands(api);
  // `cli-metadata` only collects CLI command metadata (e.g. for --help): no
  // hooks fire, the runtime is deliberately unavailable, and writing a file
  // on every CLI invocation would be noise. Every other mode registers:
  // in 2026.9.6 the agent hooks fire on the "discovery" instance, not on
  // "full", so gating on mode === "full" would lose them.
  if (mode === "cli-metadata") return;

  const settings = resolveSettings(api);
  if (!settings.enabled) return;

  const state = sharedState();
  if (api?.logger) state.logger = api.logger;
  const instance = ++state.instances;
  for (const problem of settings.problems) warnOnce(`config:${problem}`, `config: ${problem}`);

  setOutFile(settings.outFile);
  setRotation(settings.maxFileBytes, settings.keepFiles);
  if (!state.reported.has(`recording:${settings.outFile}`)) {
    state.reported.add(`recording:${settings.outFile}`);
    log("info", `recording OpenClaw hook events to ${settings.outFile}`);
  }

  recordRegistration(REGISTER_HOOK, instance, {
    registrationMode: mode ?? null,
    pluginId: PLUGIN_ID,
    pluginVersion: typeof api?.version === "string" ? api.version : PLUGIN_VERSION,
    openclawVersion: readOpenClawVersion(api),
  });

  if (mode === "full") registerBridge(api, settings);

  if (typeof api?.on !== "function") {
    warnOnce("no-api-on", "this OpenClaw host has no api.on(); no hook events can be recorded.");
    return;
  }
  for (const hook of settings.hooks) {
    try {
      api.on(hook, createHandler(hook, instance, settings.maxStringChars, settings.redactor), { priority: OBSERVER_PRIORITY });
    } catch (error) {
      warnOnce(`on:${hook}`, `could not register hook ${hook}: ${describe(error)}`);
    }
  }
}

// `openclaw mlflow configure|status`. Registered in every mode, `cli-metadata`
// included: the descriptor is what lets `openclaw --help` list the command
// before the plugin's runtime loads; the commands themselves run later, when
// OpenClaw activates the plugin for them.
function registerCommands(api) {
  if (typeof api?.registerCli !== "function") return;
  try {
    api.registerCli(({ program }) => addMlflowCommands(program, hostDeps(api, PLUGIN_ID)), { descriptors: [CLI_DESCRIPTOR] });
  } catch (error) {
    warnOnce("register-cli", `could not register the mlflow commands: ${describe(error)}`);
  }
}

// The bridge runs as a service of the "full" registration only: that is the
// gateway's live registry, whose services OpenClaw starts and stops with the
// gateway. Discovery and CLI loads must not start processes.
function registerBridge(api, settings) {
  const config = api?.pluginConfig && typeof api.pluginConfig === "object" ? api.pluginConfig : {};
  const mlflow = resolveMlflowSettings(config, settings.outFile);
  for (const problem of mlflow.problems) warnOnce(`config:${problem}`, `config: ${problem}`);
  if (!mlflow.runBridge) return;
  if (!mlflow.trackingUri) {
    if (!sharedState().reported.has("mlflow-not-configured")) {
      sharedState().reported.add("mlflow-not-configured");
      log("info", "MLflow is not configured (no trackingUri, no MLFLOW_TRACKING_URI): recording only. Run `openclaw mlflow configure` to send traces.");
    }
    return;
  }
  if (typeof api.registerService !== "function") {
    warnOnce("no-register-service", "this OpenClaw host cannot run plugin services; start `openclaw-bridge follow` yourself.");
    return;
  }
  const service = createBridgeService({ spool: settings.outFile, mlflow, redaction: settings.redaction, log, warnOnce });
  api.registerService({
    id: service.id,
    // `openclaw mlflow configure` changes this plugin's entry: restart the bridge with the new address.
    reload: { configPrefixes: [`plugins.entries.${PLUGIN_ID}`] },
    start: () => service.start(),
    stop: () => service.stop(),
  });
}

function createHandler(hook, instance, maxStringChars, redactor) {
  // Deliberately not async: an async function returns a Promise, which the
  // synchronous hooks report as a misbehaving plugin.
  return function recordMlflowTraceEvent(event, ctx) {
    try {
      recordHook(hook, instance, event, ctx, maxStringChars, redactor);
    } catch (error) {
      warnOnce(`record:${hook}`, `could not record a ${hook} event: ${describe(error)}`);
    }
    return undefined;
  };
}

// `api.runtime.version` is answered by the host without loading the broad
// plugin runtime; older hosts may not have it.
function readOpenClawVersion(api) {
  try {
    const version = api?.runtime?.version;
    return typeof version === "string" ? version : null;
  } catch {
    return null;
  }
}

function describe(error) {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "unknown error";
  }
}

export default {
  id: PLUGIN_ID,
  name: "MLflow Trace Recorder",
  description: "Records every OpenClaw plugin hook event as one JSON line for the MLflow trace bridge.",
  register,
};

// Exported for tests and for hosts that want the list without registering.
export { HOOK_NAMES };
