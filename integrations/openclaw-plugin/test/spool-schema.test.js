import assert from "node:assert/strict";
import { test } from "node:test";
import { spoolLineViolations } from "../testing/spool-schema.js";

// What the plugin writes is checked against the schema wherever a test reads the spool (plugin.test.js,
// assertLineShape). These show that the check can fail, on the lines the bridge would misread.

test("the spool-line schema accepts a line as the recorder writes it", () => {
  const line = {
    v: 1, seq: 3, instance: 1, hook: "llm_input", ts: "2026-11-22T00:26:58.060Z", tsMs: 1795307218060,
    monoMs: 91852.5, pid: 2973, event: { prompt: null }, ctx: { runId: "r1" },
  };
  assert.deepEqual(spoolLineViolations(line), []);
});

for (const [name, line, field] of [
  ["no event", { hook: "llm_input", tsMs: 1, ctx: {} }, "event"],
  ["no time", { hook: "llm_input", event: {}, ctx: {} }, "tsMs"],
  ["a ts that is not ISO 8601 UTC", { hook: "llm_input", ts: "yesterday", event: {} }, "/ts"],
  ["a ctx that is not an object", { hook: "llm_input", tsMs: 1, event: {}, ctx: "none" }, "/ctx"],
  ["another format version", { v: 2, hook: "llm_input", tsMs: 1, event: {} }, "/v"],
  ["a registration line without its mode", { hook: "__plugin_register__", tsMs: 1, event: {} }, "registrationMode"],
]) {
  test(`the spool-line schema rejects a line with ${name}`, () => {
    const violations = spoolLineViolations(line);
    assert.ok(violations.some((v) => v.includes(field)), `expected a violation naming ${field}: ${JSON.stringify(violations)}`);
  });
}
