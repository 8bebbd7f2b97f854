// The OpenClaw service that runs the bridge (`openclaw-bridge follow <spool>`)
// for as long as the gateway runs, so a user only installs the plugin and the
// .NET tool and sets the MLflow address.
//
// * Start: the spool file is created if missing (older bridges wanted an
//   existing file; current ones wait for it), the bridge is found
//   (src/bridge-locate.js) and started with `--from-end`: what the spool held
//   before this gateway started belongs to an earlier run, which had its own
//   bridge. A bridge that left `<spool>.checkpoint` resumes there instead, so a
//   bridge killed mid-turn neither loses nor repeats turns.
// * If it exits on its own, it is started again after 1 s, 2 s, 4 s ... up to
//   60 s; a run that lasted a minute resets the delay. A configuration error
//   (exit code 3: MLflow unreachable or the experiment unknown) is retried the
//   same way, because the server may simply not be up yet.
// * Stop: SIGTERM (the bridge closes open turns and flushes its spans), then
//   SIGKILL after STOP_GRACE_MS.
// * Output: each stdout line (the summary) goes to OpenClaw's log as info,
//   each stderr line (skipped lines, MLflow errors) as a warning.
// * Not found: one warning saying how to install it; recording goes on.
//
// Nothing here may throw into OpenClaw: every failure is logged.

import { spawn as nodeSpawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { INSTALL_HINT, locateBridge } from "./bridge-locate.js";

export const SERVICE_ID = "mlflow-bridge";
export const MIN_RESTART_DELAY_MS = 1_000;
export const MAX_RESTART_DELAY_MS = 60_000;
export const STOP_GRACE_MS = 5_000;

/**
 * @param {object} options
 * @param {string} options.spool                    the file the recorder appends to
 * @param {import("./mlflow-settings.js").MlflowSettings} options.mlflow
 * @param {{enabled: boolean, secretNames: string[], secretValuePatterns: string[]}} [options.redaction]  passed on, so the
 *   bridge redacts what it emits with the same additions (or not at all)
 * @param {(level: string, message: string) => void} options.log
 * @param {(key: string, message: string) => void} options.warnOnce
 * @param {typeof nodeSpawn} [options.spawn]
 * @param {typeof locateBridge} [options.locate]
 * @param {{setTimeout: Function, clearTimeout: Function, now: () => number}} [options.clock]
 */
export function createBridgeService({ spool, mlflow, redaction, log, warnOnce, spawn = nodeSpawn, locate = locateBridge, clock = realClock }) {
  let child = null;
  let childExited = null;
  let restartTimer = null;
  let stopping = false;
  let delay = MIN_RESTART_DELAY_MS;
  let command;

  function bridgeArguments() {
    const args = ["follow", spool, "--from-end", "--no-tree", "--status-file", mlflow.statusFile];
    if (mlflow.trackingUri) args.push("--tracking-uri", mlflow.trackingUri);
    if (mlflow.experimentId) args.push("--experiment-id", mlflow.experimentId);
    if (redaction?.enabled === false) args.push("--no-redaction");
    for (const name of redaction?.secretNames ?? []) args.push("--redact-name", name);
    for (const pattern of redaction?.secretValuePatterns ?? []) args.push("--redact-pattern", pattern);
    return args;
  }

  function launch() {
    restartTimer = null;
    if (stopping) return;
    const startedAt = clock.now();
    let proc;
    try {
      proc = spawn(command[0], [...command.slice(1), ...bridgeArguments()], {
        stdio: ["ignore", "pipe", "pipe"],
        env: process.env,
        windowsHide: true,
      });
    } catch (error) {
      log("warn", `could not start the bridge (${command.join(" ")}): ${describe(error)}`);
      scheduleRestart(startedAt);
      return;
    }
    child = proc;
    log("info", `bridge started (pid ${proc.pid ?? "?"}): ${command.join(" ")} follow ${spool} → ${mlflow.trackingUri}`);
    pipeLines(proc.stdout, (line) => log("info", `bridge: ${line}`));
    pipeLines(proc.stderr, (line) => log("warn", `bridge: ${line}`));
    let settled = false;
    childExited = new Promise((resolve) => {
      const onEnd = (code, signal, error) => {
        if (settled) return;
        settled = true;
        if (child === proc) child = null;
        resolve();
        if (stopping) return;
        const how = error ? describe(error) : signal ? `signal ${signal}` : `exit code ${code}`;
        const wait = nextDelay(startedAt);
        log("warn", `the bridge stopped (${how}); starting it again in ${Math.round(wait / 1000)} s`);
        scheduleRestart(startedAt, wait);
      };
      proc.on("error", (error) => onEnd(null, null, error));
      proc.on("exit", (code, signal) => onEnd(code, signal, null));
    });
  }

  function nextDelay(startedAt) {
    if (clock.now() - startedAt >= MAX_RESTART_DELAY_MS) delay = MIN_RESTART_DELAY_MS;
    const wait = delay;
    delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    return wait;
  }

  function scheduleRestart(startedAt, wait = nextDelay(startedAt)) {
    if (stopping) return;
    restartTimer = clock.setTimeout(launch, wait);
    restartTimer?.unref?.();
  }

  return {
    id: SERVICE_ID,
    start() {
      try {
        stopping = false;
        const found = locate(mlflow.bridgeCommand);
        if (!found.command) {
          warnOnce(
            "bridge-missing",
            `MLflow is configured (${mlflow.trackingUri}) but the openclaw-bridge command was not found (looked in ${found.searched.join(", ")}); ` +
              `hook events are recorded to ${spool} but not sent. To send them, ${INSTALL_HINT}, then restart the gateway.`,
          );
          return;
        }
        command = found.command;
        ensureFile(spool);
        launch();
      } catch (error) {
        log("warn", `could not start the bridge: ${describe(error)}`);
      }
    },
    async stop() {
      stopping = true;
      if (restartTimer) clock.clearTimeout(restartTimer);
      restartTimer = null;
      const proc = child;
      if (!proc) return;
      const exited = childExited;
      try {
        proc.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = clock.setTimeout(() => resolve("timeout"), STOP_GRACE_MS);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clock.clearTimeout(timer);
      if (outcome === "timeout") {
        log("warn", `the bridge did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM; killing it (spans not yet sent are lost)`);
        try {
          proc.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }
    },
    /** For status and tests: the running child process, if any. */
    get child() {
      return child;
    },
  };
}

function pipeLines(stream, onLine) {
  if (!stream) return;
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (line.trim() !== "") onLine(line);
  });
  lines.on("error", () => {});
}

function ensureFile(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(file, "a", 0o600));
}

function describe(error) {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "unknown error";
  }
}

const realClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (timer) => clearTimeout(timer),
  now: () => Date.now(),
};
