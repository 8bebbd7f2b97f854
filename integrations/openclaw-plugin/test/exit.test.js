// Lines still queued when the process ends must reach the file.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { PLUGIN_ROOT, makeTempDir, readLines } from "../testing/fake-openclaw.js";

// Runs a tiny OpenClaw stand-in in a child process and returns the lines written.
function runChild(ending, prelude = "") {
  const dir = makeTempDir();
  const outFile = path.join(dir, "events.jsonl");
  const script = `
    import plugin from ${JSON.stringify(pathToFileURL(path.join(PLUGIN_ROOT, "index.js")).href)};
    ${prelude}
    const handlers = new Map();
    plugin.register({
      registrationMode: "discovery",
      pluginConfig: { outFile: ${JSON.stringify(outFile)} },
      logger: { info() {}, warn(m) { console.error(m); }, error() {} },
      on(name, handler) { handlers.set(name, handler); },
    });
    handlers.get("agent_end")({ runId: "r", success: true }, { runId: "r" });
    handlers.get("llm_output")({ runId: "r", usage: { input: 1 } }, { runId: "r" });
    ${ending}
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
  try {
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
    return readLines(outFile);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("process.exit() right after the hooks: queued lines are flushed by the exit handler", () => {
  const lines = runChild("process.exit(0);");
  assert.deepEqual(
    lines.map((line) => [line.seq, line.hook]),
    [
      [1, "__plugin_register__"],
      [2, "agent_end"],
      [3, "llm_output"],
    ],
  );
});

test("natural end of the event loop: lines are written", () => {
  const lines = runChild("");
  assert.deepEqual(
    lines.map((line) => line.hook),
    ["__plugin_register__", "agent_end", "llm_output"],
  );
});

test("the exit listener does not push a busy host over Node's listener limit", () => {
  // The 2026.9.6 gateway already has about ten 'exit' listeners when plugins
  // load; one more would print MaxListenersExceededWarning. runChild asserts
  // that stderr stays empty.
  const fillToLimit = "while (process.listenerCount('exit') < process.getMaxListeners()) process.on('exit', () => {});";
  const lines = runChild("", fillToLimit);
  assert.equal(lines.length, 3);
});
