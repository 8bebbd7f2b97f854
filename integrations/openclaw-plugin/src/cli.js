// `openclaw mlflow configure` and `openclaw mlflow status`: the command names
// MLflow's own OpenClaw plugin uses, so users coming from it find them.
//
// configure writes `trackingUri` / `experimentId` into this plugin's entry of
// the OpenClaw config through the host's config API (the gateway then restarts
// the bridge service, see the service's reload prefixes). status reads the
// effective settings, the spool file and the status file the bridge keeps
// (`openclaw-bridge follow --status-file`), and says whether the bridge runs.

import fs from "node:fs";
import readline from "node:readline/promises";
import { INSTALL_HINT, locateBridge } from "./bridge-locate.js";
import { resolveSettings } from "./config.js";
import { resolveMlflowSettings, trackingUriProblem } from "./mlflow-settings.js";

export const CLI_DESCRIPTOR = {
  name: "mlflow",
  description: "Send OpenClaw traces to MLflow: configure the tracking server, show the bridge's status",
  hasSubcommands: true,
};

/**
 * Host access the commands need, from the plugin api.
 * @typedef {object} CliDeps
 * @property {string} pluginId
 * @property {() => unknown} currentConfig                   the whole OpenClaw config
 * @property {(mutate: (draft: any) => void) => Promise<void>} mutateConfig
 * @property {(config: Record<string, unknown>) => {outFile: string}} resolveSpool
 * @property {NodeJS.ProcessEnv} env
 * @property {{write: (text: string) => void}} out
 * @property {{write: (text: string) => void}} err
 * @property {boolean} interactive
 * @property {(question: string) => Promise<string>} [ask]
 */

/** Registers the command tree on OpenClaw's Commander program. */
export function addMlflowCommands(program, deps) {
  const root = program.command("mlflow").description(CLI_DESCRIPTOR.description);
  root
    .command("configure")
    .description("Set the MLflow tracking server (and experiment) the bridge sends traces to")
    .option("--tracking-uri <uri>", "MLflow tracking server, for example http://localhost:5000")
    .option("--experiment-id <id>", "MLflow experiment id (default: the server's default experiment)")
    .action(async (options) => {
      process.exitCode = await runConfigure(deps, options ?? {});
    });
  root
    .command("status")
    .description("Show the effective MLflow settings, the spool file and what the bridge has done")
    .option("--json", "print the status as JSON")
    .action((options) => {
      process.exitCode = runStatus(deps, options ?? {});
    });
}

/** @returns {Record<string, unknown>} this plugin's `config` object in the OpenClaw config */
export function pluginConfigOf(config, pluginId) {
  const entry = config?.plugins?.entries?.[pluginId];
  const value = entry?.config;
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

/** @returns {Promise<number>} the exit code */
export async function runConfigure(deps, options) {
  const current = pluginConfigOf(deps.currentConfig(), deps.pluginId);
  let trackingUri = options.trackingUri;
  let experimentId = options.experimentId;
  if (trackingUri === undefined) {
    if (!deps.interactive || !deps.ask) {
      deps.err.write("openclaw mlflow configure: give --tracking-uri <uri> (and --experiment-id <id>), or run it in a terminal to be asked.\n");
      return 2;
    }
    const suggestion = current.trackingUri ?? deps.env.MLFLOW_TRACKING_URI ?? "http://localhost:5000";
    trackingUri = (await deps.ask(`MLflow tracking URI [${suggestion}]: `)).trim() || suggestion;
    const experimentSuggestion = current.experimentId ?? deps.env.MLFLOW_EXPERIMENT_ID ?? "";
    experimentId = (await deps.ask(`Experiment ID [${experimentSuggestion || "server default"}]: `)).trim() || experimentSuggestion || undefined;
  }
  trackingUri = String(trackingUri).trim();
  const problem = trackingUriProblem(trackingUri);
  if (problem) {
    deps.err.write(`openclaw mlflow configure: --tracking-uri ${problem}\n`);
    return 2;
  }
  if (experimentId !== undefined && String(experimentId).trim() === "") {
    deps.err.write("openclaw mlflow configure: --experiment-id must not be empty.\n");
    return 2;
  }

  await deps.mutateConfig((draft) => {
    draft.plugins ??= {};
    draft.plugins.entries ??= {};
    const entry = (draft.plugins.entries[deps.pluginId] ??= {});
    // Configuring MLflow means wanting traces: the plugin is switched on, and granted the conversation hooks without
    // which a trace has no LLM inputs, outputs or run boundaries (README, "Required: conversation access").
    entry.enabled = true;
    entry.hooks = { ...(entry.hooks ?? {}), allowConversationAccess: true };
    entry.config ??= {};
    entry.config.trackingUri = trackingUri;
    if (experimentId !== undefined) entry.config.experimentId = String(experimentId).trim();
  });
  const where = `plugins.entries.${deps.pluginId}.config`;
  deps.out.write(`Saved trackingUri ${trackingUri}${experimentId !== undefined ? ` and experimentId ${String(experimentId).trim()}` : ""} in ${where}.\n`);
  deps.out.write(`Enabled the plugin and allowed its conversation hooks (plugins.entries.${deps.pluginId}.hooks.allowConversationAccess).\n`);
  deps.out.write("A running gateway restarts the bridge with it; otherwise it starts with the next `openclaw gateway`.\n");
  const found = locateBridge(pluginConfigOf(deps.currentConfig(), deps.pluginId).bridgeCommand, deps.env);
  if (!found.command) deps.out.write(`openclaw-bridge was not found: ${INSTALL_HINT}.\n`);
  return 0;
}

/** Collects the status as plain data (what `status --json` prints). */
export function collectStatus(deps) {
  const config = pluginConfigOf(deps.currentConfig(), deps.pluginId);
  const { outFile } = deps.resolveSpool(config);
  const mlflow = resolveMlflowSettings(config, outFile, deps.env);
  const found = locateBridge(mlflow.bridgeCommand, deps.env);
  const spoolSize = fileSize(outFile);
  const bridge = readBridgeStatus(mlflow.statusFile);
  return {
    trackingUri: mlflow.trackingUri ?? null,
    trackingUriSource: mlflow.trackingUriSource ?? null,
    experimentId: mlflow.experimentId ?? null,
    experimentIdSource: mlflow.experimentIdSource ?? null,
    runBridge: mlflow.runBridge,
    spool: { path: outFile, bytes: spoolSize },
    bridgeCommand: found.command ?? null,
    bridgeCommandSource: found.source ?? null,
    statusFile: mlflow.statusFile,
    bridge,
  };
}

/** @returns {number} the exit code: 0 */
export function runStatus(deps, options) {
  const status = collectStatus(deps);
  if (options.json) {
    deps.out.write(`${JSON.stringify(status, null, 2)}\n`);
    return 0;
  }
  const source = (value, from, envName) =>
    value === null ? "(not set)" : `${value} (${from === "config" ? "plugin config" : envName})`;
  const lines = [
    "MLflow trace export (plugin mlflow-trace-recorder)",
    `  Tracking URI:   ${source(status.trackingUri, status.trackingUriSource, "MLFLOW_TRACKING_URI")}`,
    `  Experiment ID:  ${status.experimentId === null ? "(not set: the server's default experiment)" : source(status.experimentId, status.experimentIdSource, "MLFLOW_EXPERIMENT_ID")}`,
    `  Spool file:     ${status.spool.path} (${status.spool.bytes === null ? "not created yet" : formatBytes(status.spool.bytes)})`,
    `  Bridge command: ${status.bridgeCommand ? `${status.bridgeCommand.join(" ")} (${status.bridgeCommandSource})` : `not found; ${INSTALL_HINT}`}`,
    `  Bridge:         ${describeBridge(status)}`,
  ];
  const b = status.bridge;
  if (b) {
    lines.push(
      `  Traces:         ${b.turnsExported} exported (${b.turnsFailed} of them failed turns, ${b.turnsIncomplete} incomplete), ${b.tracesLost} lost; ${b.spansExported} spans; ${b.eventsRead} events read`,
    );
    lines.push(`  Last error:     ${b.lastError ? `${b.lastError.at} ${b.lastError.message}` : "none"}`);
  }
  deps.out.write(`${lines.join("\n")}\n`);
  return 0;
}

function describeBridge(status) {
  if (!status.trackingUri) return "not started (MLflow is not configured: run `openclaw mlflow configure`)";
  if (!status.runBridge) return "not started by the plugin (runBridge is false)";
  const b = status.bridge;
  if (!b) return "has not run yet (it starts with the gateway)";
  if (b.state === "following" && b.running) return `running (pid ${b.pid}, since ${b.startedAt}, status of ${b.updatedAt})`;
  if (b.state === "failed") return `failed to start at ${b.updatedAt} (see Last error); the gateway retries it`;
  if (b.state === "following") return `not running (pid ${b.pid} is gone; last status ${b.updatedAt})`;
  return `stopped at ${b.updatedAt}`;
}

function readBridgeStatus(file) {
  let parsed;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== "object") return null;
  return { ...parsed, running: isAlive(parsed.pid) };
}

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error?.code === "EPERM";
  }
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The CliDeps of a real OpenClaw host, from the plugin api. */
export function hostDeps(api, pluginId) {
  return {
    pluginId,
    currentConfig: () => api.runtime.config.current(),
    mutateConfig: async (mutate) => {
      await api.runtime.config.mutateConfigFile({ afterWrite: { mode: "auto" }, mutate });
    },
    resolveSpool: (config) =>
      resolveSettings({
        pluginConfig: config,
        get runtime() {
          return api.runtime;
        },
      }),
    env: process.env,
    out: process.stdout,
    err: process.stderr,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: async (question) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}
