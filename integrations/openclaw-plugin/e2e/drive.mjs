// Runs the scenarios through a running OpenClaw gateway: one `openclaw agent`
// per turn (a scenario's turns one after another, in one session; scenarios
// side by side, a few at a time), and writes what ran to <runs.json> for
// check.mjs.
//
// Usage: node drive.mjs <openclaw.mjs> <runs.json> <run-id> [scenario,...]
// The environment (OPENCLAW_HOME, OPENCLAW_CONFIG_PATH, the gateway token) is
// the caller's.

import { spawn } from "node:child_process";
import fs from "node:fs";
import { SCENARIOS } from "./scenarios.mjs";

const [cli, runsFile, runId, only] = process.argv.slice(2);
if (!runId) {
  console.error("usage: node drive.mjs <openclaw.mjs> <runs.json> <run-id> [scenario,...]");
  process.exit(2);
}
const names = (only ? only.split(",") : Object.keys(SCENARIOS)).filter((name) => SCENARIOS[name]?.turns.length > 0);
const PARALLEL = 4;
const TURN_TIMEOUT_MS = 240_000;

function agentTurn(sessionKey, message, model, log) {
  return new Promise((resolve) => {
    const args = [cli, "agent", "--agent", "main", "--session-key", sessionKey, "--json", "--timeout", "180", ...(model ? ["--model", model] : []), "-m", message];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => out.push(chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), TURN_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      fs.writeFileSync(log, Buffer.concat(out));
      resolve(code ?? signal);
    });
  });
}

async function runScenario(name) {
  const scenario = SCENARIOS[name];
  const id = `${runId}-${name}`;
  const sessionKey = `agent:main:e2e-${id}`;
  const run = { scenario: name, id, sessionKey, turns: [] };
  for (const [index, turn] of scenario.turns.entries()) {
    // A tag per turn: the mock counts calls per tag, the checker finds each turn's trace by it.
    const tag = scenario.turns.length > 1 ? `SCENARIO:${name}#${id}` + `-t${index + 1}` : `SCENARIO:${name}#${id}`;
    const started = Date.now();
    const exit = await agentTurn(sessionKey, `${tag} ${turn.message}`, turn.model, `${runsFile}.${name}.${index + 1}.log`);
    console.log(`drive: ${name} turn ${index + 1}: openclaw agent exited ${exit} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    run.turns.push({ tag });
  }
  return run;
}

const queue = [...names];
const runs = [];
await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
  while (queue.length > 0) runs.push(await runScenario(queue.shift()));
}));
fs.writeFileSync(runsFile, JSON.stringify(runs, null, 2));
