// Where the traces go: the MLflow tracking server and experiment, and how to
// run the bridge that sends them there.
//
// The names are the ones MLflow's own OpenClaw plugin uses, so a user coming
// from it finds them: plugin config `trackingUri` / `experimentId`, falling back
// to the environment variables `MLFLOW_TRACKING_URI` / `MLFLOW_EXPERIMENT_ID`.
// Plugin config wins over the environment: it is what `openclaw mlflow
// configure` writes, and the gateway's environment is harder to see.

import path from "node:path";

export const STATUS_FILE_NAME = "bridge-status.json";

/**
 * @typedef {object} MlflowSettings
 * @property {string|undefined} trackingUri
 * @property {"config"|"env"|undefined} trackingUriSource
 * @property {string|undefined} experimentId
 * @property {"config"|"env"|undefined} experimentIdSource
 * @property {boolean} runBridge        start the bridge when a tracking URI is set
 * @property {string[]|undefined} bridgeCommand  configured command (program + leading arguments)
 * @property {string} statusFile        where the bridge keeps its status (beside the spool)
 * @property {string[]} problems
 */

/**
 * @param {Record<string, unknown>} config  plugin config (`plugins.entries.<id>.config`)
 * @param {string} outFile                  the spool file (absolute)
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {MlflowSettings}
 */
export function resolveMlflowSettings(config, outFile, env = process.env) {
  const problems = [];
  const trackingUri = pick(config.trackingUri, env.MLFLOW_TRACKING_URI, "trackingUri", problems);
  const experimentId = pick(config.experimentId, env.MLFLOW_EXPERIMENT_ID, "experimentId", problems);

  let runBridge = true;
  if (config.runBridge !== undefined) {
    if (typeof config.runBridge === "boolean") runBridge = config.runBridge;
    else problems.push("runBridge must be true or false; starting the bridge.");
  }

  let bridgeCommand;
  if (config.bridgeCommand !== undefined) {
    const value = config.bridgeCommand;
    if (typeof value === "string" && value.trim() !== "") bridgeCommand = [value.trim()];
    else if (Array.isArray(value) && value.length > 0 && value.every((part) => typeof part === "string" && part !== "")) {
      bridgeCommand = [...value];
    } else {
      problems.push("bridgeCommand must be a program path or a non-empty array of strings; looking for openclaw-bridge instead.");
    }
  }

  return {
    trackingUri: trackingUri.value,
    trackingUriSource: trackingUri.source,
    experimentId: experimentId.value,
    experimentIdSource: experimentId.source,
    runBridge,
    bridgeCommand,
    statusFile: path.join(path.dirname(outFile), STATUS_FILE_NAME),
    problems,
  };
}

/** Checks a tracking URI as `openclaw mlflow configure` accepts it; returns a sentence, or undefined when fine. */
export function trackingUriProblem(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL; give the MLflow server's address, for example http://localhost:5000.`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `"${value}" is not an http(s) address; the bridge sends traces to an MLflow server (for example http://localhost:5000), not to ${url.protocol} stores.`;
  }
  return undefined;
}

function pick(configured, fromEnv, name, problems) {
  if (configured !== undefined && configured !== null) {
    if (typeof configured === "string" && configured.trim() !== "") return { value: configured.trim(), source: "config" };
    problems.push(`${name} must be a non-empty string; ignoring it.`);
  }
  const env = typeof fromEnv === "string" ? fromEnv.trim() : "";
  return env !== "" ? { value: env, source: "env" } : { value: undefined, source: undefined };
}
