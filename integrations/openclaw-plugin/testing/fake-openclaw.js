// Test support: a fake OpenClaw plugin API and helpers to read the output.
// Lives outside test/ because `node --test` runs every file under test/.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

// The OpenClaw 2026.9.6 recordings the C# tests replay too: tests/data/openclaw-captures in this repository.
export const CAPTURES_DIR = path.resolve(here, "../../../tests/data/openclaw-captures");
export const PLUGIN_ROOT = path.resolve(here, "..");

/**
 * A stand-in for the `api` object OpenClaw passes to register().
 * `api.handlers` maps hook name -> handler; `api.onCalls` lists every call.
 */
export function createFakeApi({ mode = "discovery", pluginConfig, logger, runtime, version } = {}) {
  const handlers = new Map();
  const onCalls = [];
  const logs = { info: [], warn: [], error: [], debug: [] };
  const api = {
    id: "mlflow-trace-recorder",
    registrationMode: mode,
    pluginConfig,
    version,
    runtime,
    logger: logger ?? {
      info: (message) => logs.info.push(message),
      warn: (message) => logs.warn.push(message),
      error: (message) => logs.error.push(message),
      debug: (message) => logs.debug.push(message),
    },
    on(hookName, handler, opts) {
      onCalls.push({ hookName, handler, opts });
      handlers.set(hookName, handler);
    },
    handlers,
    onCalls,
    logs,
  };
  return api;
}

export function makeTempDir(prefix = "mlflow-recorder-test-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Waits until the writer's setImmediate flush has run. */
export function nextTurn() {
  return new Promise((resolve) => setImmediate(resolve));
}

export function readRawLines(file) {
  const text = fs.readFileSync(file, "utf8");
  if (text === "") return [];
  if (!text.endsWith("\n")) throw new Error("output does not end with a newline");
  return text.slice(0, -1).split("\n");
}

export function readLines(file) {
  return readRawLines(file).map((line) => JSON.parse(line));
}

export function loadCapture(name) {
  return fs
    .readFileSync(path.join(CAPTURES_DIR, name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}
