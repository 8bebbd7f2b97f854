// Reads `plugins.entries.mlflow-trace-recorder.config` and resolves the output path.
//
// OpenClaw validates the config against the manifest's configSchema before the
// plugin loads, but defaults are applied here as well so the plugin behaves the
// same when loaded by an older host, a test, or with no config at all. Invalid
// values fall back to the default and are reported, never thrown.

import os from "node:os";
import path from "node:path";
import { DEFAULT_HOOKS, HOOK_NAMES } from "./hook-names.js";
import { createRedactor } from "./redaction.js";
import { DEFAULT_MAX_STRING_CHARS } from "./serialize.js";
import { DEFAULT_KEEP_SEGMENTS, DEFAULT_MAX_FILE_BYTES } from "./writer.js";

export const STATE_SUBDIR = "mlflow-trace-recorder";
export const DEFAULT_FILE_NAME = "events.jsonl";

/**
 * @typedef {object} RecorderSettings
 * @property {boolean} enabled
 * @property {string} outFile           absolute path
 * @property {number} maxStringChars
 * @property {string[]} hooks           hook names to record (upstream order)
 * @property {number} maxFileBytes      rotate the file at this size (0: never)
 * @property {number} keepFiles         rotated segments kept
 * @property {{enabled: boolean, secretNames: string[], secretValuePatterns: string[]}} redaction  the `redaction` config, checked
 * @property {ReturnType<typeof createRedactor>} redactor  the policy it gives (null: redaction off)
 * @property {string[]} problems        config issues to report (already handled)
 */

/**
 * @param {{pluginConfig?: unknown, runtime?: unknown}} api
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {RecorderSettings}
 */
export function resolveSettings(api, env = process.env) {
  const config = isPlainObject(api?.pluginConfig) ? api.pluginConfig : {};
  const problems = [];

  const enabled = config.enabled === undefined ? true : config.enabled !== false;

  let maxStringChars = DEFAULT_MAX_STRING_CHARS;
  if (config.maxStringChars !== undefined) {
    if (Number.isInteger(config.maxStringChars) && config.maxStringChars > 0) {
      maxStringChars = config.maxStringChars;
    } else {
      problems.push(`maxStringChars must be a positive integer; using ${DEFAULT_MAX_STRING_CHARS}.`);
    }
  }

  let hooks = [...DEFAULT_HOOKS];
  if (config.hooks !== undefined) {
    if (Array.isArray(config.hooks)) {
      const known = new Set(HOOK_NAMES);
      const unknown = config.hooks.filter((name) => !known.has(name));
      if (unknown.length > 0) problems.push(`ignoring unknown hook names: ${unknown.map(String).join(", ")}.`);
      const wanted = new Set(config.hooks);
      hooks = HOOK_NAMES.filter((name) => wanted.has(name));
    } else {
      problems.push("hooks must be an array of hook names; recording the default set.");
    }
  }

  const stateDir = resolveStateDir(api, env);
  let outFile = path.join(stateDir, STATE_SUBDIR, DEFAULT_FILE_NAME);
  if (config.outFile !== undefined) {
    if (typeof config.outFile === "string" && config.outFile.trim() !== "") {
      outFile = resolveUserPath(config.outFile, stateDir, env);
    } else {
      problems.push(`outFile must be a non-empty string; using ${outFile}.`);
    }
  }

  const maxFileBytes = nonNegativeInteger(config.maxFileBytes, DEFAULT_MAX_FILE_BYTES, "maxFileBytes", problems, 0);
  const keepFiles = nonNegativeInteger(config.keepFiles, DEFAULT_KEEP_SEGMENTS, "keepFiles", problems, 1);

  const redaction = resolveRedaction(config.redaction, problems);
  const redactor = createRedactor(redaction, problems);

  return { enabled, outFile, maxStringChars, hooks, maxFileBytes, keepFiles, redaction, redactor, problems };
}

// `redaction: {enabled, secretNames, secretValuePatterns}`; anything malformed
// is reported and the default (redaction on, the built-in rules) kept.
function resolveRedaction(value, problems) {
  const redaction = { enabled: true, secretNames: [], secretValuePatterns: [] };
  if (value === undefined) return redaction;
  if (!isPlainObject(value)) {
    problems.push("redaction must be an object; redacting with the built-in rules.");
    return redaction;
  }
  if (value.enabled !== undefined) {
    if (typeof value.enabled === "boolean") redaction.enabled = value.enabled;
    else problems.push("redaction.enabled must be true or false; redacting.");
  }
  for (const key of ["secretNames", "secretValuePatterns"]) {
    if (value[key] === undefined) continue;
    if (Array.isArray(value[key]) && value[key].every((item) => typeof item === "string" && item.length > 0)) {
      redaction[key] = [...value[key]];
    } else {
      problems.push(`redaction.${key} must be an array of non-empty strings; ignoring it.`);
    }
  }
  return redaction;
}

function nonNegativeInteger(value, fallback, name, problems, minimum) {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value >= minimum) return value;
  problems.push(`${name} must be an integer >= ${minimum}; using ${fallback}.`);
  return fallback;
}

/**
 * OpenClaw's state directory (where it keeps sessions and logs), in this order:
 * 1. `api.runtime.state.resolveStateDir()`: the host's own answer. In 2026.9.6
 *    this is a cheap host function that does not load the broad runtime.
 * 2. The same rule re-implemented for hosts without it (and for tests):
 *    `$OPENCLAW_STATE_DIR`, else `<home>/.openclaw`, where home is
 *    `$OPENCLAW_HOME`, else `$HOME`, else `$USERPROFILE`, else os.homedir(),
 *    else the working directory.
 */
export function resolveStateDir(api, env = process.env) {
  try {
    const dir = api?.runtime?.state?.resolveStateDir?.();
    if (typeof dir === "string" && dir.trim() !== "") return path.resolve(dir.trim());
  } catch {
    // Runtime unavailable in this registration mode, or an older host.
  }
  const override = clean(env.OPENCLAW_STATE_DIR);
  if (override) return expandHome(override, env);
  return path.join(effectiveHome(env), ".openclaw");
}

/**
 * A configured path: `~` means the OpenClaw home (as in OpenClaw's own config
 * paths), absolute paths stay as they are, and relative paths are taken
 * relative to the state directory, because the gateway's working directory is
 * not something a user can predict (services often run from `/`).
 */
export function resolveUserPath(input, stateDir, env = process.env) {
  const trimmed = input.trim();
  if (isHomeRelative(trimmed)) return path.resolve(effectiveHome(env) + trimmed.slice(1));
  return path.resolve(stateDir, trimmed);
}

function expandHome(input, env) {
  return isHomeRelative(input) ? path.resolve(effectiveHome(env) + input.slice(1)) : path.resolve(input);
}

function isHomeRelative(input) {
  return input === "~" || input.startsWith("~/") || input.startsWith("~\\");
}

function effectiveHome(env) {
  const openclawHome = clean(env.OPENCLAW_HOME);
  if (openclawHome) {
    return isHomeRelative(openclawHome) ? path.resolve(osHome(env) + openclawHome.slice(1)) : path.resolve(openclawHome);
  }
  return osHome(env);
}

function osHome(env) {
  const fromEnv = clean(env.HOME) ?? clean(env.USERPROFILE);
  if (fromEnv) return path.resolve(fromEnv);
  try {
    const home = clean(os.homedir());
    if (home) return path.resolve(home);
  } catch {
    // No home directory for this user.
  }
  try {
    return process.cwd();
  } catch {
    return os.tmpdir();
  }
}

// OpenClaw treats empty, "undefined" and "null" environment values as unset.
function clean(value) {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed !== "undefined" && trimmed !== "null" ? trimmed : undefined;
}

function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
