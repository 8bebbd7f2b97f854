import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import plugin, { PLUGIN_ID } from "../index.js";
import { BEHAVIOR_CHANGING_HOOKS, DEFAULT_HOOKS, HOOK_NAMES, REGISTER_HOOK } from "../src/hook-names.js";
import { FAN_OUT_WINDOW_MS } from "../src/recorder.js";
import { resetSharedStateForTests } from "../src/shared-state.js";
import { flushNow } from "../src/writer.js";
import { pathToFileURL } from "node:url";
import { spoolLineViolations } from "../testing/spool-schema.js";
import {
  PLUGIN_ROOT,
  createFakeApi,
  loadCapture,
  makeTempDir,
  nextTurn,
  readLines,
  readRawLines,
} from "../testing/fake-openclaw.js";

const ISO_UTC_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LINE_KEYS = ["v", "seq", "instance", "hook", "ts", "tsMs", "monoMs", "pid", "event", "ctx"];

let dir;
let outFile;

beforeEach(() => {
  resetSharedStateForTests();
  dir = makeTempDir();
  outFile = path.join(dir, "nested", "deeper", "events.jsonl");
  // Anything that falls back to the default path must not touch the real ~/.openclaw.
  process.env.OPENCLAW_STATE_DIR = path.join(dir, "state");
});

afterEach(() => {
  flushNow();
  fs.rmSync(dir, { recursive: true, force: true });
});

function registerInstance(mode = "discovery", config = {}, extra = {}) {
  const api = createFakeApi({ mode, pluginConfig: { outFile, ...config }, ...extra });
  plugin.register(api);
  return api;
}

function assertLineShape(line) {
  assert.deepEqual(Object.keys(line), LINE_KEYS);
  assert.equal(line.v, 1);
  assert.ok(Number.isInteger(line.seq) && line.seq > 0);
  assert.ok(Number.isInteger(line.instance) && line.instance > 0);
  assert.equal(typeof line.hook, "string");
  assert.match(line.ts, ISO_UTC_MS);
  assert.equal(typeof line.tsMs, "number");
  assert.equal(new Date(line.tsMs).toISOString(), line.ts);
  assert.equal(typeof line.monoMs, "number");
  assert.equal(line.pid, process.pid);
  assert.ok("event" in line && "ctx" in line);
  assert.deepEqual(spoolLineViolations(line), [], `${line.hook} line (seq ${line.seq}) against docs/openclaw-spool-line.schema.json`);
}

describe("registration", () => {
  test("the plugin entry has the shape OpenClaw expects", () => {
    assert.equal(plugin.id, PLUGIN_ID);
    assert.equal(plugin.id, "mlflow-trace-recorder");
    assert.equal(typeof plugin.name, "string");
    assert.equal(typeof plugin.description, "string");
    assert.equal(typeof plugin.register, "function");
  });

  for (const mode of ["full", "discovery", "tool-discovery", "setup-only", "setup-runtime", undefined]) {
    test(`mode ${mode}: registers each default hook once, synchronously`, async () => {
      const api = createFakeApi({ pluginConfig: { outFile } });
      api.registrationMode = mode; // undefined: an older host without registrationMode
      plugin.register(api);
      assert.equal(plugin.register.constructor.name, "Function", "register() must be synchronous");
      assert.deepEqual(
        api.onCalls.map((call) => call.hookName),
        [...DEFAULT_HOOKS],
      );
      assert.equal(new Set(api.onCalls.map((call) => call.hookName)).size, 39);
      for (const hook of BEHAVIOR_CHANGING_HOOKS) assert.ok(!api.handlers.has(hook), `${hook} is opt-in`);
      for (const call of api.onCalls) {
        assert.equal(call.handler.constructor.name, "Function", `${call.hookName} handler must not be async`);
        assert.ok(call.opts.priority > 0, "recorder runs before other plugins' modify hooks");
      }
      await nextTurn();
      const [line] = readLines(outFile);
      assert.equal(line.hook, REGISTER_HOOK);
      assert.deepEqual(line.event, {
        registrationMode: mode ?? null,
        pluginId: "mlflow-trace-recorder",
        pluginVersion: "0.1.0",
        openclawVersion: null,
      });
      assert.deepEqual(line.ctx, {});
    });
  }

  test("cli-metadata mode registers nothing and writes nothing", async () => {
    const api = registerInstance("cli-metadata");
    await nextTurn();
    assert.equal(api.onCalls.length, 0);
    assert.equal(fs.existsSync(outFile), false);
    assert.equal(fs.existsSync(path.dirname(outFile)), false);
  });

  test("enabled: false registers nothing and writes nothing", async () => {
    const api = registerInstance("discovery", { enabled: false });
    await nextTurn();
    assert.equal(api.onCalls.length, 0);
    assert.equal(fs.existsSync(outFile), false);
  });

  test("listing all 42 hook names registers all 42, including the opt-in ones", () => {
    const api = registerInstance("discovery", { hooks: [...HOOK_NAMES].reverse() });
    assert.deepEqual(
      api.onCalls.map((call) => call.hookName),
      [...HOOK_NAMES],
    );
  });

  test("the hooks option limits what is registered", () => {
    const api = registerInstance("discovery", { hooks: ["agent_end", "llm_input"] });
    assert.deepEqual(
      api.onCalls.map((call) => call.hookName),
      ["llm_input", "agent_end"],
    );
  });

  test("register line carries the host and plugin versions when the host provides them", async () => {
    registerInstance("full", {}, { version: "9.9.9", runtime: { version: "2026.9.6" } });
    await nextTurn();
    const [line] = readLines(outFile);
    assert.equal(line.event.pluginVersion, "9.9.9");
    assert.equal(line.event.openclawVersion, "2026.9.6");
  });

  test("register() never throws, even with a broken api", () => {
    const hostile = {
      registrationMode: "full",
      get pluginConfig() {
        throw new Error("config exploded");
      },
      logger: {
        warn() {
          throw new Error("logger exploded too");
        },
      },
    };
    assert.doesNotThrow(() => plugin.register(hostile));
    assert.doesNotThrow(() => plugin.register(undefined));
    const onThrows = createFakeApi({ pluginConfig: { outFile } });
    onThrows.on = () => {
      throw new Error("registry closed");
    };
    assert.doesNotThrow(() => plugin.register(onThrows));
    assert.equal(onThrows.logs.warn.length, DEFAULT_HOOKS.length, "each failed hook registration is reported once");
  });
});

describe("recording", () => {
  test("every handler returns undefined synchronously, even for hostile input", () => {
    const api = registerInstance("discovery", { hooks: [...HOOK_NAMES] });
    assert.equal(api.handlers.size, 42);
    const cyclic = {};
    cyclic.self = cyclic;
    for (const [hook, handler] of api.handlers) {
      assert.equal(handler({ hook, cyclic }, { runId: "r" }), undefined, hook);
      assert.equal(handler(undefined, undefined), undefined, hook);
      assert.equal(
        handler(
          new Proxy(
            {},
            {
              ownKeys() {
                throw new Error("x");
              },
            },
          ),
          null,
        ),
        undefined,
        hook,
      );
    }
  });

  test("one line per event, in order, with the documented fields", async () => {
    const api = registerInstance();
    api.handlers.get("model_call_started")({ runId: "r1", callId: "r1:model:1" }, { runId: "r1" });
    api.handlers.get("model_call_ended")({ runId: "r1", callId: "r1:model:1", durationMs: 12 }, { runId: "r1" });
    api.handlers.get("agent_end")({ runId: "r1", success: true, messages: [] }, { runId: "r1" });
    assert.equal(fs.existsSync(outFile), false, "the handler itself does not write");
    await nextTurn();
    const lines = readLines(outFile);
    assert.deepEqual(
      lines.map((line) => line.hook),
      [REGISTER_HOOK, "model_call_started", "model_call_ended", "agent_end"],
    );
    lines.forEach(assertLineShape);
    assert.deepEqual(
      lines.map((line) => line.seq),
      [1, 2, 3, 4],
    );
    assert.ok(lines.every((line) => line.instance === 1));
    for (let i = 1; i < lines.length; i++) {
      assert.ok(lines[i].monoMs >= lines[i - 1].monoMs);
      assert.ok(lines[i].tsMs >= lines[i - 1].tsMs);
    }
    assert.deepEqual(lines[2].event, { runId: "r1", callId: "r1:model:1", durationMs: 12 });
  });

  test("hostile values are written with the documented placeholders", async () => {
    const api = registerInstance("discovery", { maxStringChars: 8 });
    const cyclic = { name: "c" };
    cyclic.self = cyclic;
    const event = {
      fn() {},
      signal: new AbortController().signal,
      cyclic,
      big: 12345678901234567890n,
      get broken() {
        throw new Error("getter");
      },
      huge: "z".repeat(50),
      sym: Symbol("s"),
      missing: undefined,
    };
    const ctx = { config: { apiKey: "sk-do-not-write" }, toolName: "read" };
    api.handlers.get("before_tool_call")(event, ctx);
    await nextTurn();
    const [, line] = readLines(outFile);
    assert.deepEqual(line.event, {
      fn: "[function]",
      signal: { "[AbortSignal]": true, aborted: false },
      cyclic: { name: "c", self: "[circular]" },
      big: "12345678901234567890",
      broken: "[unreadable]",
      huge: "zzzzzzzz…[truncated 42 chars]",
      sym: "Symbol(s)",
      missing: null,
    });
    assert.deepEqual(line.ctx, { config: "[omitted]", toolName: "read" });
    assert.doesNotMatch(fs.readFileSync(outFile, "utf8"), /sk-do-not-write/);
  });

  test("the event is captured when the hook fires, not when the line is written", async () => {
    const api = registerInstance();
    const message = { role: "assistant", content: "first" };
    api.handlers.get("before_message_write")({ message }, { sessionKey: "k" });
    message.content = "changed later by someone else";
    await nextTurn();
    assert.equal(readLines(outFile)[1].event.message.content, "first");
  });

  test("a new file is created with mode 0600 inside new 0700 directories", async () => {
    registerInstance();
    await nextTurn();
    assert.equal(fs.statSync(outFile).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(outFile)).mode & 0o777, 0o700);
  });

  test("a new file in an existing directory is created with mode 0600", async () => {
    outFile = path.join(dir, "events.jsonl");
    registerInstance();
    await nextTurn();
    assert.equal(fs.statSync(outFile).mode & 0o777, 0o600);
  });

  test("an existing file is appended to and keeps its mode", async () => {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, '{"existing":true}\n', { mode: 0o640 });
    fs.chmodSync(outFile, 0o640);
    registerInstance();
    await nextTurn();
    const lines = readLines(outFile);
    assert.deepEqual(lines[0], { existing: true });
    assert.equal(lines[1].hook, REGISTER_HOOK);
    assert.equal(fs.statSync(outFile).mode & 0o777, 0o640);
  });

  test("a burst of huge events in one turn is written completely and in order", async () => {
    const api = registerInstance("discovery", { maxStringChars: 5_000_000 });
    const big = "b".repeat(3_000_000);
    for (let i = 0; i < 4; i++) api.handlers.get("llm_input")({ i, systemPrompt: big }, {});
    await nextTurn();
    const lines = readLines(outFile).slice(1);
    assert.deepEqual(
      lines.map((line) => [line.seq, line.event.i, line.event.systemPrompt.length]),
      [
        [2, 0, 3_000_000],
        [3, 1, 3_000_000],
        [4, 2, 3_000_000],
        [5, 3, 3_000_000],
      ],
    );
  });

  test("the file may be rotated or deleted while recording", async () => {
    const api = registerInstance();
    await nextTurn();
    fs.rmSync(path.dirname(outFile), { recursive: true });
    api.handlers.get("session_start")({ sessionId: "s" }, { sessionId: "s" });
    await nextTurn();
    assert.deepEqual(
      readLines(outFile).map((line) => line.hook),
      ["session_start"],
    );
  });
});

describe("several registration instances in one process", () => {
  test("instances share one sequence and one file", async () => {
    const full = registerInstance("full");
    const discovery = registerInstance("discovery");
    full.handlers.get("session_start")({ sessionId: "s" }, { sessionId: "s" });
    discovery.handlers.get("llm_input")({ runId: "r" }, { runId: "r" });
    full.handlers.get("session_end")({ sessionId: "s" }, { sessionId: "s" });
    await nextTurn();
    const lines = readLines(outFile);
    assert.deepEqual(
      lines.map((line) => [line.seq, line.instance, line.hook]),
      [
        [1, 1, REGISTER_HOOK],
        [2, 2, REGISTER_HOOK],
        [3, 1, "session_start"],
        [4, 2, "llm_input"],
        [5, 1, "session_end"],
      ],
    );
    assert.equal(lines[0].event.registrationMode, "full");
    assert.equal(lines[1].event.registrationMode, "discovery");
  });

  test("one event delivered to two instances is written once", async () => {
    const first = registerInstance("discovery");
    const second = registerInstance("discovery");
    const event = { runId: "r", callId: "r:model:1" };
    const ctx = { runId: "r", trace: { traceId: "t", spanId: "s" } };
    // Same objects (void hooks)...
    first.handlers.get("model_call_started")(event, ctx);
    second.handlers.get("model_call_started")(event, ctx);
    // ...and an equal copy per handler (what OpenClaw does for before_message_write).
    const message = { role: "user", content: "hi" };
    first.handlers.get("before_message_write")({ message }, { sessionKey: "k" });
    second.handlers.get("before_message_write")({ ...{ message } }, { sessionKey: "k" });
    await nextTurn();
    const hooks = readLines(outFile)
      .filter((line) => line.hook !== REGISTER_HOOK)
      .map((line) => [line.hook, line.instance]);
    assert.deepEqual(hooks, [
      ["model_call_started", 1],
      ["before_message_write", 1],
    ]);
  });

  test("real repeats are kept: same instance, different payload, or outside the window", async () => {
    const first = registerInstance("discovery");
    const second = registerInstance("discovery");
    const event = { sessionId: "s", reason: "shutdown" };
    first.handlers.get("session_end")(event, {});
    first.handlers.get("session_end")(event, {}); // same instance: a real repeat
    second.handlers.get("session_end")({ sessionId: "other", reason: "shutdown" }, {}); // different payload
    await new Promise((resolve) => setTimeout(resolve, FAN_OUT_WINDOW_MS + 50));
    first.handlers.get("session_end")({ sessionId: "other", reason: "shutdown" }, {}); // identical, but much later
    await nextTurn();
    const hooks = readLines(outFile).filter((line) => line.hook === "session_end");
    assert.deepEqual(
      hooks.map((line) => [line.instance, line.event.sessionId]),
      [
        [1, "s"],
        [1, "s"],
        [2, "other"],
        [1, "other"],
      ],
    );
  });

  test("a second copy of the module shares the same state", async () => {
    // A separate module graph, as when OpenClaw's loader evaluates the plugin again.
    const copyRoot = path.join(dir, "plugin-copy");
    fs.cpSync(path.join(PLUGIN_ROOT, "src"), path.join(copyRoot, "src"), { recursive: true });
    fs.copyFileSync(path.join(PLUGIN_ROOT, "index.js"), path.join(copyRoot, "index.js"));
    fs.writeFileSync(path.join(copyRoot, "package.json"), '{"type":"module"}');
    const copy = (await import(pathToFileURL(path.join(copyRoot, "index.js")).href)).default;
    assert.notEqual(copy, plugin, "really a second module instance");
    const a = registerInstance("full");
    const bApi = createFakeApi({ mode: "discovery", pluginConfig: { outFile } });
    copy.register(bApi);
    a.handlers.get("gateway_start")({ port: 1 }, {});
    bApi.handlers.get("llm_output")({ runId: "r" }, {});
    await nextTurn();
    const lines = readLines(outFile);
    assert.deepEqual(
      lines.map((line) => [line.seq, line.instance, line.hook]),
      [
        [1, 1, REGISTER_HOOK],
        [2, 2, REGISTER_HOOK],
        [3, 1, "gateway_start"],
        [4, 2, "llm_output"],
      ],
    );
  });

  test("a reload with a new outFile switches files without losing queued lines", async () => {
    const first = registerInstance("full");
    first.handlers.get("gateway_start")({ port: 1 }, {});
    const otherFile = path.join(dir, "other.jsonl");
    const second = createFakeApi({ mode: "full", pluginConfig: { outFile: otherFile } });
    plugin.register(second);
    second.handlers.get("gateway_stop")({ reason: "x" }, {});
    await nextTurn();
    assert.deepEqual(
      readLines(outFile).map((line) => line.hook),
      [REGISTER_HOOK, "gateway_start"],
    );
    assert.deepEqual(
      readLines(otherFile).map((line) => [line.seq, line.hook]),
      [
        [3, REGISTER_HOOK],
        [4, "gateway_stop"],
      ],
    );
  });
});

describe("write failures", () => {
  test("an unwritable outFile never reaches the hook and is reported once", async () => {
    const blocker = path.join(dir, "a-regular-file");
    fs.writeFileSync(blocker, "not a directory");
    outFile = path.join(blocker, "sub", "events.jsonl");
    const api = registerInstance();
    for (let round = 0; round < 3; round++) {
      assert.equal(api.handlers.get("agent_end")({ runId: `r${round}` }, {}), undefined);
      assert.equal(api.handlers.get("tool_result_persist")({ message: {} }, {}), undefined);
      await nextTurn();
    }
    const writeWarnings = api.logs.warn.filter((message) => message.includes("cannot write"));
    assert.equal(writeWarnings.length, 1, api.logs.warn.join("\n"));
    assert.match(writeWarnings[0], /a-regular-file/);
    assert.match(writeWarnings[0], /ENOTDIR/);
  });

  test("recording resumes once the path becomes writable, and the loss is reported", async () => {
    const blocker = path.join(dir, "blocker");
    fs.writeFileSync(blocker, "");
    outFile = path.join(blocker, "events.jsonl");
    const api = registerInstance();
    api.handlers.get("agent_end")({ runId: "lost" }, {});
    await nextTurn();
    fs.rmSync(blocker);
    fs.mkdirSync(blocker);
    api.handlers.get("agent_end")({ runId: "kept" }, {});
    await nextTurn();
    const lines = readLines(outFile);
    assert.deepEqual(
      lines.map((line) => line.event.runId),
      ["kept"],
    );
    assert.equal(lines[0].seq, 3, "seq shows the gap left by lost lines");
    assert.ok(api.logs.info.some((message) => /2 event line\(s\) were lost/.test(message)), api.logs.info.join("\n"));
  });

  test("a throwing logger does not break a failing write", async () => {
    const blocker = path.join(dir, "blocker");
    fs.writeFileSync(blocker, "");
    outFile = path.join(blocker, "events.jsonl");
    const logger = {
      info() {
        throw new Error("info");
      },
      warn() {
        throw new Error("warn");
      },
    };
    const api = registerInstance("discovery", {}, { logger });
    assert.equal(api.handlers.get("llm_input")({}, {}), undefined);
    await nextTurn();
    await nextTurn();
  });
});

describe("replaying real OpenClaw 2026.9.6 captures", () => {
  // Feeds every captured (event, ctx) to the handler of the same hook on the
  // same instance number, then checks the output reproduces the capture.
  for (const name of ["gateway-tool.full.jsonl", "gateway-subagent.jsonl", "gateway-lifecycle.jsonl", "local-error500-retry.jsonl"]) {
    test(name, async () => {
      const captured = loadCapture(name);
      // Register as many instances, in the same modes, as the recording had.
      // Gateway captures start mid-stream: there instance 1 was "full", 2 "discovery".
      const modeByInstance = new Map([
        [1, "full"],
        [2, "discovery"],
      ]);
      for (const line of captured) {
        if (line.hook === REGISTER_HOOK) modeByInstance.set(line.instance, line.event.registrationMode);
      }
      const instanceCount = Math.max(...captured.map((line) => line.instance));
      const instanceModes = Array.from({ length: instanceCount }, (_, i) => modeByInstance.get(i + 1) ?? "discovery");
      const apis = instanceModes.map((mode) => registerInstance(mode));

      const events = captured.filter((line) => line.hook !== REGISTER_HOOK);
      for (const line of events) {
        const handler = apis[line.instance - 1].handlers.get(line.hook);
        assert.ok(handler, `no handler for ${line.hook}`);
        assert.equal(handler(line.event, line.ctx), undefined);
      }
      await nextTurn();

      const written = readLines(outFile);
      assert.equal(readRawLines(outFile).length, instanceModes.length + events.length);
      written.forEach(assertLineShape);
      written.forEach((line, index) => assert.equal(line.seq, index + 1));
      const replayed = written.filter((line) => line.hook !== REGISTER_HOOK);
      assert.equal(replayed.length, events.length);
      replayed.forEach((line, index) => {
        const original = events[index];
        assert.equal(line.hook, original.hook);
        assert.equal(line.instance, original.instance);
        assert.deepEqual(line.event, original.event, `${original.hook} event (capture seq ${original.seq})`);
        assert.deepEqual(line.ctx, original.ctx, `${original.hook} ctx (capture seq ${original.seq})`);
      });
    });
  }

  test("live objects produce the same placeholders as the capture", async () => {
    const captured = loadCapture("gateway-lifecycle.jsonl").find((line) => line.hook === "gateway_start");
    const tool = loadCapture("gateway-tool.jsonl").find((line) => line.hook === "before_tool_call");
    const prompt = loadCapture("gateway-tool.jsonl").find((line) => line.hook === "before_prompt_build");
    const api = registerInstance("full");

    // Rebuild the live ctx objects OpenClaw passes: real functions, a real
    // AbortSignal, and the real (secret-bearing) config object.
    const liveGatewayCtx = {
      ...captured.ctx,
      config: { models: { providers: { mock: { apiKey: "mock-key-not-secret" } } } },
      abortSignal: new AbortController().signal,
      getCron: () => undefined,
    };
    const liveToolCtx = { ...tool.ctx, abortSignal: new AbortController().signal };
    const livePromptCtx = { ...prompt.ctx, hookInvocation: Object.freeze({ assertActive() {} }) };

    api.handlers.get("gateway_start")(captured.event, liveGatewayCtx);
    api.handlers.get("before_tool_call")(tool.event, liveToolCtx);
    api.handlers.get("before_prompt_build")(prompt.event, livePromptCtx);
    await nextTurn();
    const [, gateway, toolLine, promptLine] = readLines(outFile);
    assert.deepEqual(gateway.ctx, captured.ctx);
    assert.deepEqual(toolLine.ctx, tool.ctx);
    assert.deepEqual(promptLine.ctx, prompt.ctx);
    assert.doesNotMatch(fs.readFileSync(outFile, "utf8"), /mock-key-not-secret/);
  });
});
