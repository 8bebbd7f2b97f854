// The bridge service: found, started with the right arguments, restarted with
// backoff, stopped with the gateway, its output in OpenClaw's log.

import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, test } from "node:test";
import plugin from "../index.js";
import { locateBridge } from "../src/bridge-locate.js";
import { createBridgeService, MAX_RESTART_DELAY_MS, SERVICE_ID } from "../src/bridge-service.js";
import { resolveMlflowSettings } from "../src/mlflow-settings.js";
import { resetSharedStateForTests } from "../src/shared-state.js";
import { createFakeApi, makeTempDir, PLUGIN_ROOT } from "../testing/fake-openclaw.js";

let dir;
beforeEach(() => {
  resetSharedStateForTests();
  dir = makeTempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeClock() {
  const timers = [];
  let now = 0;
  return {
    setTimeout: (fn, ms) => {
      const timer = { fn, at: now + ms, ms };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (timer) => {
      const i = timers.indexOf(timer);
      if (i >= 0) timers.splice(i, 1);
    },
    now: () => now,
    pending: () => timers.map((t) => t.ms),
    advance(ms) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    },
  };
}

function fakeSpawn() {
  const calls = [];
  const spawn = (program, args) => {
    const proc = new EventEmitter();
    proc.pid = 1000 + calls.length;
    proc.stdout = new PassThrough();
    proc.stderr = new PassThrough();
    proc.signals = [];
    proc.kill = (signal) => proc.signals.push(signal);
    proc.exit = (code, signal = null) => proc.emit("exit", code, signal);
    calls.push({ program, args, proc });
    return proc;
  };
  return { spawn, calls };
}

function setup({ config = { trackingUri: "http://127.0.0.1:5000", experimentId: "7" }, locate } = {}) {
  const spool = path.join(dir, "spool", "events.jsonl");
  const logs = [];
  const warnings = new Map();
  const clock = fakeClock();
  const { spawn, calls } = fakeSpawn();
  const service = createBridgeService({
    spool,
    mlflow: resolveMlflowSettings(config, spool, {}),
    log: (level, message) => logs.push({ level, message }),
    warnOnce: (key, message) => warnings.set(key, message),
    spawn,
    locate: locate ?? (() => ({ command: ["/opt/openclaw-bridge"], source: "PATH" })),
    clock,
  });
  return { service, spool, logs, warnings, clock, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("start: creates the spool and runs follow --from-end with the MLflow settings and a status file", () => {
  const { service, spool, calls } = setup();
  service.start();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].program, "/opt/openclaw-bridge");
  assert.deepEqual(calls[0].args, [
    "follow", spool, "--from-end", "--no-tree", "--status-file", path.join(path.dirname(spool), "bridge-status.json"),
    "--tracking-uri", "http://127.0.0.1:5000", "--experiment-id", "7",
  ]);
  assert.equal(fs.statSync(spool).size, 0);
  assert.equal(fs.statSync(spool).mode & 0o777, 0o600);
});

test("the bridge's stdout goes to the log as info, its stderr as warnings", async () => {
  const { service, logs, calls } = setup();
  service.start();
  calls[0].proc.stdout.write("openclaw-bridge: 3 turns exported\n");
  calls[0].proc.stderr.write("events.jsonl:4: skipped: invalid JSON\n");
  await tick();
  assert.deepEqual(logs.filter((l) => l.message.startsWith("bridge:")), [
    { level: "info", message: "bridge: openclaw-bridge: 3 turns exported" },
    { level: "warn", message: "bridge: events.jsonl:4: skipped: invalid JSON" },
  ]);
});

test("an exiting bridge is restarted after 1 s, 2 s, 4 s ...; a run of a minute resets the delay", () => {
  const { service, logs, clock, calls } = setup();
  service.start();
  calls[0].proc.exit(3);
  assert.deepEqual(clock.pending(), [1000]);
  assert.match(logs.at(-1).message, /the bridge stopped \(exit code 3\); starting it again in 1 s/);
  clock.advance(1000);
  assert.equal(calls.length, 2);
  calls[1].proc.exit(3);
  assert.deepEqual(clock.pending(), [2000]);
  clock.advance(2000);
  calls[2].proc.exit(null, "SIGKILL");
  assert.deepEqual(clock.pending(), [4000]);
  assert.match(logs.at(-1).message, /signal SIGKILL/);
  clock.advance(4000);
  clock.advance(MAX_RESTART_DELAY_MS);
  calls[3].proc.exit(1);
  assert.deepEqual(clock.pending(), [1000]);
});

test("the delay stops growing at 60 s", () => {
  const { service, clock, calls } = setup();
  service.start();
  for (let i = 0; i < 10; i++) {
    calls.at(-1).proc.exit(3);
    const [wait] = clock.pending();
    assert.equal(wait, Math.min(1000 * 2 ** i, MAX_RESTART_DELAY_MS));
    clock.advance(wait);
  }
});

test("stop: SIGTERM, no restart after the exit; SIGKILL when it does not stop in time", async () => {
  const { service, clock, calls } = setup();
  service.start();
  const stopping = service.stop();
  assert.deepEqual(calls[0].proc.signals, ["SIGTERM"]);
  calls[0].proc.exit(0);
  await stopping;
  assert.deepEqual(clock.pending(), []);
  assert.equal(calls.length, 1);

  service.start();
  const second = service.stop();
  clock.advance(5000);
  await second;
  assert.deepEqual(calls[1].proc.signals, ["SIGTERM", "SIGKILL"]);
});

test("stop during a restart delay cancels the restart", async () => {
  const { service, clock, calls } = setup();
  service.start();
  calls[0].proc.exit(3);
  await service.stop();
  clock.advance(MAX_RESTART_DELAY_MS);
  assert.equal(calls.length, 1);
});

test("not found: one warning that says how to install it, and nothing started", () => {
  const { service, warnings, calls } = setup({ locate: () => ({ command: undefined, searched: ["PATH", "/home/u/.dotnet/tools"] }) });
  service.start();
  assert.equal(calls.length, 0);
  const message = warnings.get("bridge-missing");
  assert.match(message, /openclaw-bridge command was not found \(looked in PATH, \/home\/u\/\.dotnet\/tools\)/);
  assert.match(message, /dotnet tool install -g Instrumentation\.Agents\.OpenClawBridge/);
});

test("locate: a configured command wins, then the PATH, then ~/.dotnet/tools", () => {
  const bin = path.join(dir, "bin");
  const tools = path.join(dir, "home", ".dotnet", "tools");
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(tools, { recursive: true });
  assert.deepEqual(locateBridge(["dotnet", "x.dll"], { PATH: bin }), { command: ["dotnet", "x.dll"], source: "config" });
  fs.writeFileSync(path.join(tools, "openclaw-bridge"), "#!/bin/sh\n", { mode: 0o755 });
  assert.deepEqual(locateBridge(undefined, { PATH: bin, HOME: path.join(dir, "home") }).source, "dotnet-tools");
  fs.writeFileSync(path.join(bin, "openclaw-bridge"), "#!/bin/sh\n", { mode: 0o644 });
  assert.equal(locateBridge(undefined, { PATH: bin, HOME: path.join(dir, "home") }).source, "dotnet-tools", "not executable");
  fs.chmodSync(path.join(bin, "openclaw-bridge"), 0o755);
  assert.deepEqual(locateBridge(undefined, { PATH: bin, HOME: path.join(dir, "home") }), {
    command: [path.join(bin, "openclaw-bridge")],
    source: "PATH",
  });
});

test("MLflow settings: plugin config wins over the environment", () => {
  const env = { MLFLOW_TRACKING_URI: "http://env:5000", MLFLOW_EXPERIMENT_ID: "1" };
  const fromEnv = resolveMlflowSettings({}, "/s/events.jsonl", env);
  assert.equal(fromEnv.trackingUri, "http://env:5000");
  assert.equal(fromEnv.trackingUriSource, "env");
  const fromConfig = resolveMlflowSettings({ trackingUri: "http://cfg:5000", experimentId: "9" }, "/s/events.jsonl", env);
  assert.deepEqual([fromConfig.trackingUri, fromConfig.trackingUriSource, fromConfig.experimentId], ["http://cfg:5000", "config", "9"]);
  assert.deepEqual(resolveMlflowSettings({ bridgeCommand: 5 }, "/s/e", {}).problems.length, 1);
});

test("register: the service only in the gateway's full registration, and only when MLflow is configured", () => {
  const outFile = path.join(dir, "events.jsonl");
  const withService = (mode, pluginConfig) => {
    const api = createFakeApi({ mode, pluginConfig });
    const services = [];
    api.registerService = (service) => services.push(service);
    plugin.register(api);
    return { services, api };
  };
  const configured = { outFile, trackingUri: "http://127.0.0.1:5000" };
  const full = withService("full", configured);
  assert.deepEqual(full.services.map((s) => s.id), [SERVICE_ID]);
  assert.deepEqual(full.services[0].reload, { configPrefixes: ["plugins.entries.mlflow-trace-recorder"] });
  assert.equal(withService("discovery", configured).services.length, 0);
  assert.equal(withService("full", { ...configured, runBridge: false }).services.length, 0);
  const unconfigured = withService("full", { outFile });
  assert.equal(unconfigured.services.length, 0);
  assert.ok(unconfigured.api.logs.info.some((m) => m.includes("openclaw mlflow configure")));
});

test("a real child process: started, its output logged, stopped by SIGTERM", async () => {
  const spool = path.join(dir, "events.jsonl");
  const logs = [];
  const service = createBridgeService({
    spool,
    mlflow: resolveMlflowSettings({ trackingUri: "http://127.0.0.1:9", bridgeCommand: [process.execPath, path.join(PLUGIN_ROOT, "testing", "fake-bridge.js")] }, spool, {}),
    log: (level, message) => logs.push(`${level} ${message}`),
    warnOnce: () => {},
  });
  service.start();
  const child = service.child;
  await waitFor(() => logs.some((l) => l.startsWith("info bridge: args")));
  await service.stop();
  assert.notEqual(child.exitCode ?? child.signalCode, null);
  await waitFor(() => logs.some((l) => l.includes("stopped")));
  assert.ok(logs.includes("warn bridge: openclaw-bridge: a warning"), logs.join("\n"));
  assert.ok(!logs.some((l) => l.includes("starting it again")));
});

async function waitFor(condition) {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition());
}
