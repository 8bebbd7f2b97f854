import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import plugin, { PLUGIN_ID, PLUGIN_VERSION } from "../index.js";
import { CLI_DESCRIPTOR } from "../src/cli.js";
import { BEHAVIOR_CHANGING_HOOKS, DEFAULT_HOOKS, HOOK_NAMES } from "../src/hook-names.js";
import { DEFAULT_MAX_STRING_CHARS } from "../src/serialize.js";
import { PLUGIN_ROOT } from "../testing/fake-openclaw.js";

const readJson = (name) => JSON.parse(fs.readFileSync(path.join(PLUGIN_ROOT, name), "utf8"));
const manifest = readJson("openclaw.plugin.json");
const pkg = readJson("package.json");

test("42 distinct hook names, as in OpenClaw 2026.9.6 PluginHookName", () => {
  assert.equal(HOOK_NAMES.length, 42);
  assert.equal(new Set(HOOK_NAMES).size, 42);
  assert.ok(HOOK_NAMES.every((name) => /^[a-z_]+$/.test(name)));
});

test("the default set is every hook except the three whose registration changes OpenClaw", () => {
  assert.deepEqual([...BEHAVIOR_CHANGING_HOOKS].sort(), ["message_sending", "reply_payload_sending", "skill_proposal_evaluate"]);
  assert.equal(DEFAULT_HOOKS.length, 39);
  assert.deepEqual(
    DEFAULT_HOOKS,
    HOOK_NAMES.filter((name) => !BEHAVIOR_CHANGING_HOOKS.includes(name)),
  );
});

test("manifest: id, activation and a strict config schema in step with the code", () => {
  assert.equal(manifest.id, PLUGIN_ID);
  assert.equal(manifest.id, plugin.id);
  assert.deepEqual(manifest.activation, { onStartup: true, onCapabilities: ["hook"], onCommands: ["mlflow"] });
  assert.deepEqual(manifest.cliCommands, [CLI_DESCRIPTOR]);
  const schema = manifest.configSchema;
  assert.equal(schema.type, "object");
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(Object.keys(schema.properties).sort(), [
    "bridgeCommand", "enabled", "experimentId", "hooks", "keepFiles", "maxFileBytes", "maxStringChars", "outFile", "redaction",
    "runBridge", "trackingUri",
  ]);
  assert.deepEqual(Object.keys(schema.properties.redaction.properties).sort(), ["enabled", "secretNames", "secretValuePatterns"]);
  assert.equal(schema.properties.bridgeCommand.type, "array");
  assert.equal(schema.properties.runBridge.default, true);
  assert.equal(schema.properties.outFile.type, "string");
  assert.equal(schema.properties.enabled.default, true);
  assert.equal(schema.properties.maxStringChars.type, "integer");
  assert.equal(schema.properties.maxStringChars.default, DEFAULT_MAX_STRING_CHARS);
  assert.deepEqual(schema.properties.hooks.items.enum, [...HOOK_NAMES]);
});

test("package.json: ESM entry, one version everywhere, no dependencies", () => {
  assert.equal(pkg.type, "module");
  assert.deepEqual(pkg.openclaw.extensions, ["./index.js"]);
  assert.equal(pkg.license, "Apache-2.0");
  assert.equal(pkg.scripts.test, "node --test");
  // The redaction rules are copied from the .NET runtime before packing (scripts/sync-rules.js).
  assert.equal(pkg.scripts.prepack, "node scripts/sync-rules.js");
  assert.equal(pkg.engines.node, ">=20");
  assert.equal(pkg.version, PLUGIN_VERSION);
  assert.equal(manifest.version, PLUGIN_VERSION);
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "bundleDependencies"]) {
    assert.equal(pkg[field], undefined, `${field} must stay empty`);
  }
});

test("runtime code imports only node: built-ins and its own files", () => {
  const files = ["index.js", ...fs.readdirSync(path.join(PLUGIN_ROOT, "src")).map((name) => `src/${name}`)];
  for (const file of files) {
    const source = fs.readFileSync(path.join(PLUGIN_ROOT, file), "utf8");
    for (const [, specifier] of source.matchAll(/\bfrom\s+"([^"]+)"/g)) {
      assert.ok(specifier.startsWith("node:") || specifier.startsWith("./"), `${file} imports ${specifier}`);
    }
  }
});
