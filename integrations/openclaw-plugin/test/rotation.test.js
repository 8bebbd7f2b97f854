// Spool rotation: at maxFileBytes the file becomes <file>.1 (older segments
// shift up, beyond keepFiles they are deleted) and a new file starts; no line
// is split or lost across segments.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import plugin from "../index.js";
import { resetSharedStateForTests } from "../src/shared-state.js";
import { createFakeApi, makeTempDir, nextTurn, readLines } from "../testing/fake-openclaw.js";

let dir;
beforeEach(() => {
  resetSharedStateForTests();
  dir = makeTempDir();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function record(pluginConfig, events) {
  const api = createFakeApi({ mode: "discovery", pluginConfig });
  plugin.register(api);
  for (let i = 0; i < events; i++) {
    api.handlers.get("session_start")({ sessionId: `s${i}`, padding: "x".repeat(200) }, { sessionId: `s${i}` });
    await nextTurn();
  }
  return api;
}

test("the spool rotates at maxFileBytes into .1 and .2, and the segments join up without a gap", async () => {
  const outFile = path.join(dir, "events.jsonl");
  await record({ outFile, maxFileBytes: 2000, keepFiles: 2 }, 12);

  assert.ok(fs.existsSync(`${outFile}.1`) && fs.existsSync(`${outFile}.2`));
  assert.ok(!fs.existsSync(`${outFile}.3`), "only keepFiles segments are kept");
  for (const file of [`${outFile}.2`, `${outFile}.1`]) {
    const size = fs.statSync(file).size;
    assert.ok(size >= 2000 && size < 2000 + 600, `${file} is ${size} bytes`);
  }
  // Oldest first, every line whole, and the sequence numbers continue from segment to segment.
  const seqs = [`${outFile}.2`, `${outFile}.1`, outFile].flatMap((file) => readLines(file).map((line) => line.seq));
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0] + i));
  assert.equal(seqs.at(-1), 13, "the registration line and 12 events");
});

test("maxFileBytes 0 never rotates; a bad value is reported and the default used", async () => {
  const outFile = path.join(dir, "events.jsonl");
  await record({ outFile, maxFileBytes: 0 }, 12);
  assert.ok(!fs.existsSync(`${outFile}.1`));
  assert.equal(readLines(outFile).length, 13);

  resetSharedStateForTests();
  const api = await record({ outFile: path.join(dir, "other.jsonl"), maxFileBytes: -5 }, 1);
  assert.ok(api.logs.warn.some((message) => message.includes("maxFileBytes must be an integer >= 0; using 67108864")));
});
