import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { resolveSettings, resolveStateDir } from "../src/config.js";
import { DEFAULT_HOOKS } from "../src/hook-names.js";

const runtimeWithStateDir = (dir) => ({ state: { resolveStateDir: () => dir } });

describe("output file resolution", () => {
  test("default: <OpenClaw state dir from the host runtime>/mlflow-trace-recorder/events.jsonl", () => {
    const settings = resolveSettings({ runtime: runtimeWithStateDir("/srv/oc-state") }, { HOME: "/home/u" });
    assert.equal(settings.outFile, "/srv/oc-state/mlflow-trace-recorder/events.jsonl");
  });

  test("falls back to $OPENCLAW_STATE_DIR when the runtime is unavailable", () => {
    const throwingRuntime = {
      get state() {
        throw new Error("runtime is intentionally unavailable");
      },
    };
    const env = { OPENCLAW_STATE_DIR: "/var/lib/openclaw", OPENCLAW_HOME: "/ignored", HOME: "/home/u" };
    assert.equal(resolveStateDir({ runtime: throwingRuntime }, env), "/var/lib/openclaw");
    assert.equal(resolveStateDir({}, { OPENCLAW_STATE_DIR: "~/state", HOME: "/home/u" }), "/home/u/state");
  });

  test("then <OPENCLAW_HOME>/.openclaw, then <HOME>/.openclaw", () => {
    assert.equal(resolveStateDir({}, { OPENCLAW_HOME: "/opt/claw", HOME: "/home/u" }), "/opt/claw/.openclaw");
    assert.equal(resolveStateDir({}, { OPENCLAW_HOME: "~/claw", HOME: "/home/u" }), "/home/u/claw/.openclaw");
    assert.equal(resolveStateDir({}, { HOME: "/home/u" }), "/home/u/.openclaw");
    // OpenClaw treats "undefined"/"null"/blank as unset.
    assert.equal(resolveStateDir({}, { OPENCLAW_STATE_DIR: " ", OPENCLAW_HOME: "undefined", HOME: "/home/u" }), "/home/u/.openclaw");
  });

  test("a blank answer from the runtime is ignored", () => {
    assert.equal(resolveStateDir({ runtime: runtimeWithStateDir("  ") }, { HOME: "/home/u" }), "/home/u/.openclaw");
  });

  test("configured outFile: absolute, ~ (OpenClaw home) and relative (to the state dir)", () => {
    const env = { HOME: "/home/u" };
    const runtime = runtimeWithStateDir("/state");
    const resolve = (outFile, e = env) => resolveSettings({ runtime, pluginConfig: { outFile } }, e).outFile;
    assert.equal(resolve("/data/events.jsonl"), "/data/events.jsonl");
    assert.equal(resolve("~/traces/x.jsonl"), "/home/u/traces/x.jsonl");
    assert.equal(resolve("~/traces/x.jsonl", { HOME: "/home/u", OPENCLAW_HOME: "/claw" }), "/claw/traces/x.jsonl");
    assert.equal(resolve("traces/x.jsonl"), path.join("/state", "traces/x.jsonl"));
    assert.equal(resolve("  /padded.jsonl  "), "/padded.jsonl");
  });
});

describe("settings", () => {
  test("defaults with no config at all", () => {
    const settings = resolveSettings({ runtime: runtimeWithStateDir("/s") }, {});
    assert.equal(settings.enabled, true);
    assert.equal(settings.maxStringChars, 65536);
    assert.deepEqual(settings.hooks, [...DEFAULT_HOOKS]);
    assert.deepEqual(settings.problems, []);
  });

  test("valid values are used", () => {
    const settings = resolveSettings(
      { pluginConfig: { enabled: false, maxStringChars: 100, hooks: ["agent_end", "llm_input"] } },
      { HOME: "/h" },
    );
    assert.equal(settings.enabled, false);
    assert.equal(settings.maxStringChars, 100);
    // Upstream order, not config order.
    assert.deepEqual(settings.hooks, ["llm_input", "agent_end"]);
  });

  test("invalid values fall back to defaults and are reported, never thrown", () => {
    const settings = resolveSettings(
      { pluginConfig: { outFile: "", maxStringChars: -3, hooks: ["agent_end", "not_a_hook"] } },
      { HOME: "/h" },
    );
    assert.equal(settings.outFile, "/h/.openclaw/mlflow-trace-recorder/events.jsonl");
    assert.equal(settings.maxStringChars, 65536);
    assert.deepEqual(settings.hooks, ["agent_end"]);
    assert.equal(settings.problems.length, 3);
    assert.match(settings.problems.join("\n"), /not_a_hook/);

    const notArray = resolveSettings({ pluginConfig: { hooks: "agent_end" } }, { HOME: "/h" });
    assert.deepEqual(notArray.hooks, [...DEFAULT_HOOKS]);
    assert.equal(notArray.problems.length, 1);

    assert.doesNotThrow(() => resolveSettings({ pluginConfig: "nonsense" }, {}));
    assert.doesNotThrow(() => resolveSettings(undefined, {}));
  });
});
