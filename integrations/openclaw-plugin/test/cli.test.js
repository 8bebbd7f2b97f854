// `openclaw mlflow configure` and `openclaw mlflow status`.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import plugin from "../index.js";
import { addMlflowCommands, runConfigure, runStatus } from "../src/cli.js";
import { resetSharedStateForTests } from "../src/shared-state.js";
import { createFakeApi, makeTempDir } from "../testing/fake-openclaw.js";

const ID = "mlflow-trace-recorder";
let dir;
beforeEach(() => {
  resetSharedStateForTests();
  dir = makeTempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function deps({ config = {}, env = {}, answers, interactive = false } = {}) {
  const state = { config: structuredClone(config), out: "", err: "", writes: 0 };
  const spool = path.join(dir, "state", "mlflow-trace-recorder", "events.jsonl");
  return {
    state,
    spool,
    deps: {
      pluginId: ID,
      currentConfig: () => state.config,
      mutateConfig: async (mutate) => {
        const draft = structuredClone(state.config);
        mutate(draft);
        state.config = draft;
        state.writes += 1;
      },
      resolveSpool: () => ({ outFile: spool }),
      env: { PATH: "", HOME: path.join(dir, "home"), ...env },
      out: { write: (text) => (state.out += text) },
      err: { write: (text) => (state.err += text) },
      interactive,
      ask: answers ? async () => answers.shift() ?? "" : undefined,
    },
  };
}

test("configure writes trackingUri and experimentId into the plugin's entry, keeping what else is there", async () => {
  const { deps: d, state } = deps({ config: { plugins: { entries: { [ID]: { enabled: false, config: { outFile: "x.jsonl" } } } }, gateway: { port: 1 } } });
  const code = await runConfigure(d, { trackingUri: "http://127.0.0.1:5000", experimentId: "12" });
  assert.equal(code, 0);
  assert.deepEqual(state.config, {
    plugins: {
      entries: {
        [ID]: {
          enabled: true,
          hooks: { allowConversationAccess: true },
          config: { outFile: "x.jsonl", trackingUri: "http://127.0.0.1:5000", experimentId: "12" },
        },
      },
    },
    gateway: { port: 1 },
  });
  assert.match(state.out, /Saved trackingUri http:\/\/127\.0\.0\.1:5000 and experimentId 12 in plugins\.entries\.mlflow-trace-recorder\.config/);
  assert.match(state.out, /openclaw-bridge was not found: install it with `dotnet tool install -g Instrumentation\.Agents\.OpenClawBridge`/);
});

test("configure refuses a bad URI and a missing one without a terminal, and writes nothing", async () => {
  const bad = deps();
  assert.equal(await runConfigure(bad.deps, { trackingUri: "file:///tmp/mlruns" }), 2);
  assert.match(bad.state.err, /is not an http\(s\) address/);
  assert.equal(await runConfigure(bad.deps, { trackingUri: "localhost 5000" }), 2);
  assert.match(bad.state.err, /is not a URL/);
  assert.equal(await runConfigure(bad.deps, {}), 2);
  assert.match(bad.state.err, /give --tracking-uri <uri>/);
  assert.equal(bad.state.writes, 0);
});

test("configure in a terminal asks, offering the environment's values", async () => {
  const { deps: d, state } = deps({ interactive: true, answers: ["", "3"], env: { MLFLOW_TRACKING_URI: "http://env:5000" } });
  assert.equal(await runConfigure(d, {}), 0);
  assert.deepEqual(state.config.plugins.entries[ID].config, { trackingUri: "http://env:5000", experimentId: "3" });
});

test("status: settings with their source, the spool size, a running bridge's counts and last error", () => {
  const { deps: d, state, spool } = deps({
    config: { plugins: { entries: { [ID]: { config: { trackingUri: "http://127.0.0.1:5000" } } } } },
    env: { MLFLOW_EXPERIMENT_ID: "4" },
  });
  fs.mkdirSync(path.dirname(spool), { recursive: true });
  fs.writeFileSync(spool, "x".repeat(2048));
  fs.writeFileSync(
    path.join(path.dirname(spool), "bridge-status.json"),
    JSON.stringify({
      v: 1, pid: process.pid, state: "following", startedAt: "2026-12-04T10:00:00.000Z", updatedAt: "2026-12-04T10:05:00.000Z",
      eventsRead: 120, turnsExported: 5, turnsIncomplete: 1, turnsFailed: 2, spansExported: 31, tracesLost: 0,
      lastError: { at: "2026-12-04T10:04:00.000Z", message: "events.jsonl:7: skipped: invalid JSON" },
    }),
  );
  assert.equal(runStatus(d, {}), 0);
  const text = state.out;
  assert.match(text, /Tracking URI: {3}http:\/\/127\.0\.0\.1:5000 \(plugin config\)/);
  assert.match(text, /Experiment ID: {2}4 \(MLFLOW_EXPERIMENT_ID\)/);
  assert.match(text, new RegExp(`Spool file: {5}${spool.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} \\(2\\.0 KiB\\)`));
  assert.match(text, new RegExp(`Bridge: {9}running \\(pid ${process.pid}, since 2026-12-04T10:00:00.000Z`));
  assert.match(text, /Traces: {9}5 exported \(2 of them failed turns, 1 incomplete\), 0 lost; 31 spans; 120 events read/);
  assert.match(text, /Last error: {5}2026-12-04T10:04:00.000Z events\.jsonl:7: skipped: invalid JSON/);
  assert.match(text, /Bridge command: not found; install it with/);
});

test("status: not configured, never run, and a bridge whose process is gone", () => {
  const none = deps();
  runStatus(none.deps, {});
  assert.match(none.state.out, /Tracking URI: {3}\(not set\)/);
  assert.match(none.state.out, /Bridge: {9}not started \(MLflow is not configured: run `openclaw mlflow configure`\)/);
  assert.match(none.state.out, /not created yet/);

  const gone = deps({ env: { MLFLOW_TRACKING_URI: "http://127.0.0.1:5000" } });
  runStatus(gone.deps, { json: true });
  assert.equal(JSON.parse(gone.state.out).bridge, null);
  fs.mkdirSync(path.dirname(gone.spool), { recursive: true });
  fs.writeFileSync(path.join(path.dirname(gone.spool), "bridge-status.json"), JSON.stringify({ pid: 2 ** 22 + 12345, state: "following", updatedAt: "t" }));
  gone.state.out = "";
  runStatus(gone.deps, {});
  assert.match(gone.state.out, /Bridge: {9}not running \(pid \d+ is gone; last status t\)/);
});

test("the plugin registers the mlflow command with a descriptor in every mode, cli-metadata included", async () => {
  for (const mode of ["cli-metadata", "discovery", "full"]) {
    const api = createFakeApi({ mode, pluginConfig: { outFile: path.join(dir, "e.jsonl") } });
    const registrations = [];
    api.registerCli = (registrar, opts) => registrations.push({ registrar, opts });
    plugin.register(api);
    assert.equal(registrations.length, 1, mode);
    assert.deepEqual(registrations[0].opts.descriptors.map((d) => [d.name, d.hasSubcommands]), [["mlflow", true]]);
  }
});

test("the command tree: mlflow configure (two options) and mlflow status (--json)", () => {
  const commands = [];
  const fakeCommand = (name) => {
    const command = { name, options: [], description: () => command, option: (flags) => (command.options.push(flags), command), action: () => command };
    command.command = (child) => {
      const sub = fakeCommand(`${name} ${child}`);
      commands.push(sub);
      return sub;
    };
    return command;
  };
  addMlflowCommands(fakeCommand(""), deps().deps);
  assert.deepEqual(commands.map((c) => [c.name.trim(), c.options]), [
    ["mlflow", []],
    ["mlflow configure", ["--tracking-uri <uri>", "--experiment-id <id>"]],
    ["mlflow status", ["--json"]],
  ]);
});
