import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import plugin from "../index.js";
import { createBridgeService } from "../src/bridge-service.js";
import { resolveSettings } from "../src/config.js";
import { resolveMlflowSettings } from "../src/mlflow-settings.js";
import { createRedactor, REDACTED, redactJsonValue, splitWords } from "../src/redaction.js";
import { stringifySafe } from "../src/serialize.js";
import { resetSharedStateForTests } from "../src/shared-state.js";
import { flushNow } from "../src/writer.js";
import { createFakeApi, makeTempDir, nextTurn, PLUGIN_ROOT, readLines } from "../testing/fake-openclaw.js";

// The corpus the .NET tests run too (tests/Instrumentation.Runtime.Tests/RedactionCorpusTests.cs).
const CORPUS = JSON.parse(fs.readFileSync(path.resolve(PLUGIN_ROOT, "../../tests/data/redaction-corpus.json"), "utf8"));
const OPENAI_KEY = "sk-proj-AbCdEf0123456789abcdefXYZ";

describe("the shared corpus, as the .NET runtime redacts it", () => {
  const redactor = createRedactor();
  for (const item of CORPUS.cases) {
    test(item.name, () => {
      assert.deepEqual(redactJsonValue(item.input, redactor), item.expected);
      // The spool writer applies the same rules to the live values.
      assert.deepEqual(JSON.parse(stringifySafe(item.input, { redactor })), item.expected);
    });
  }
});

test("names split into words as SecretNames.cs splits them", () => {
  assert.deepEqual(splitWords("x-api-key"), ["x", "api", "key"]);
  assert.deepEqual(splitWords("APIKey"), ["API", "Key"]);
  assert.deepEqual(splitWords("oauth2Token"), ["oauth", "2", "Token"]);
  assert.deepEqual(splitWords("maxTokens"), ["max", "Tokens"]);
});

test("a secret across the string cap leaves no prefix of itself, and the marker counts what was cut", () => {
  const text = `${"a".repeat(90)} ${OPENAI_KEY} ${"b".repeat(10_000)}`;
  const out = JSON.parse(stringifySafe(text, { maxStringChars: 100, redactor: createRedactor() }));
  assert.equal(out, `${"a".repeat(90)} [REDACTED…[truncated ${text.length - 100} chars]`);
});

test("config: extra names and patterns are used, a bad pattern is reported and left out, enabled:false turns it off", () => {
  const settings = resolveSettings({
    pluginConfig: { redaction: { secretNames: ["social security number"], secretValuePatterns: ["(ACME-)[0-9]{6}", "([unclosed"] } },
  });
  assert.equal(settings.problems.length, 1);
  assert.match(settings.problems[0], /redaction\.secretValuePatterns\[1\] \('\(\[unclosed'\) is not a valid regular expression/);
  const out = JSON.parse(stringifySafe({ socialSecurityNumber: "123-45-6789", note: "ticket ACME-123456", password: "pw" }, { redactor: settings.redactor }));
  assert.deepEqual(out, { socialSecurityNumber: REDACTED, note: "ticket ACME-[REDACTED]", password: REDACTED });

  const off = resolveSettings({ pluginConfig: { redaction: { enabled: false } } });
  assert.equal(off.redactor, null);
  assert.deepEqual(off.problems, []);

  const bad = resolveSettings({ pluginConfig: { redaction: { enabled: "yes", secretNames: "ssn" } } });
  assert.deepEqual(bad.problems, [
    "redaction.enabled must be true or false; redacting.",
    "redaction.secretNames must be an array of non-empty strings; ignoring it.",
  ]);
  assert.notEqual(bad.redactor, null);
});

test("the bridge is started with the same redaction settings", () => {
  const dir = makeTempDir();
  try {
    const spool = path.join(dir, "events.jsonl");
    const argumentsFor = (redaction) => {
      const calls = [];
      const service = createBridgeService({
        spool,
        mlflow: resolveMlflowSettings({ trackingUri: "http://127.0.0.1:5000" }, spool, {}),
        redaction,
        log: () => {},
        warnOnce: () => {},
        spawn: (program, args) => {
          calls.push(args);
          return { pid: 1, stdout: null, stderr: null, on() {}, once() {}, kill() {} };
        },
        locate: () => ({ command: ["/opt/openclaw-bridge"], source: "PATH" }),
        clock: { setTimeout: () => 0, clearTimeout: () => {}, now: () => 0 },
      });
      service.start();
      return calls[0];
    };
    const extra = argumentsFor({ enabled: true, secretNames: ["ssn"], secretValuePatterns: ["ACME-[0-9]+"] });
    assert.deepEqual(extra.slice(-4), ["--redact-name", "ssn", "--redact-pattern", "ACME-[0-9]+"]);
    assert.equal(argumentsFor({ enabled: false, secretNames: [], secretValuePatterns: [] }).at(-1), "--no-redaction");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe("the spool never holds a tool parameter secret or a key in a prompt", () => {
  let dir;
  let outFile;
  beforeEach(() => {
    resetSharedStateForTests();
    dir = makeTempDir();
    outFile = path.join(dir, "events.jsonl");
    process.env.OPENCLAW_STATE_DIR = path.join(dir, "state");
  });
  afterEach(() => {
    flushNow();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function record(config, hook, event) {
    const api = createFakeApi({ mode: "discovery", pluginConfig: { outFile, ...config } });
    plugin.register(api);
    api.handlers.get(hook)(event, { runId: "r1", sessionKey: "s" });
  }

  test("before_tool_call params and llm_input prompts are redacted by default", async () => {
    record({}, "before_tool_call", { toolName: "deploy", toolCallId: "c1", params: { apiKey: "abc123", region: "eu", headers: { Authorization: "Bearer x" } } });
    record({}, "llm_input", { prompt: `use ${OPENAI_KEY} for the call`, systemPrompt: "Password=hunter2;", historyMessages: [] });
    await nextTurn();
    const lines = readLines(outFile).filter((line) => line.hook !== "__plugin_register__");
    assert.deepEqual(lines[0].event.params, { apiKey: REDACTED, region: "eu", headers: { Authorization: REDACTED } });
    assert.equal(lines[1].event.prompt, "use [REDACTED] for the call");
    assert.equal(lines[1].event.systemPrompt, "Password=[REDACTED];");
    const text = fs.readFileSync(outFile, "utf8");
    assert.doesNotMatch(text, /abc123|sk-proj|hunter2/);
  });

  test("with redaction off the values are written as they are", async () => {
    record({ redaction: { enabled: false } }, "before_tool_call", { toolName: "deploy", toolCallId: "c1", params: { apiKey: "abc123" } });
    await nextTurn();
    const [line] = readLines(outFile).filter((item) => item.hook === "before_tool_call");
    assert.deepEqual(line.event.params, { apiKey: "abc123" });
  });
});
