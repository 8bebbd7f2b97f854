// Checks the traces in MLflow against what the mock provider answered.
//
// Usage: node check.mjs <tracking-uri> <experiment-id> <calls.jsonl> <runs.json> [wait-seconds]
//
// Reads every trace of the experiment over MLflow's REST API (3.0 traces/search
// and traces/get, the same calls for the fake and a real server), waits until
// every scenario's traces are complete (bounded), then compares:
// - every answered model call appears as exactly one LLM span with exactly the
//   usage the mock returned (input incl. cache, output, cache read, cache write),
//   and no LLM span carries usage the mock never sent;
// - per scenario: the number of traces, their state and session, the LLM spans
//   in call order (a failed call: ERROR and no usage, inside an ERROR attempt),
//   the TOOL spans and their status, a sub-agent nested in its parent's trace.
// Prints one line per difference and exits 1 when there is any.

import fs from "node:fs";
import { SCENARIOS } from "./scenarios.mjs";

const [trackingUri, experimentId, callsFile, runsFile, waitSeconds = "90"] = process.argv.slice(2);
if (!runsFile) {
  console.error("usage: node check.mjs <tracking-uri> <experiment-id> <calls.jsonl> <runs.json> [wait-seconds]");
  process.exit(2);
}
const base = trackingUri.endsWith("/") ? trackingUri : `${trackingUri}/`;
const calls = fs.readFileSync(callsFile, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line)).filter((c) => c.api);
const runs = JSON.parse(fs.readFileSync(runsFile, "utf8"));

async function api(path, body) {
  const response = await fetch(new URL(path, base), body === undefined
    ? { signal: AbortSignal.timeout(15_000) }
    : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function value(any) {
  if (!any || typeof any !== "object") return undefined;
  if ("string_value" in any) return any.string_value;
  if ("int_value" in any) return Number(any.int_value);
  if ("double_value" in any) return Number(any.double_value);
  if ("bool_value" in any) return any.bool_value;
  return undefined;
}

// MLflow may store attribute values JSON-encoded ("\"LLM\""): decode strings that are JSON.
function decoded(raw) {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function statusOf(status) {
  const code = status?.code;
  if (code === "STATUS_CODE_ERROR" || code === 2 || code === "ERROR") return "ERROR";
  if (code === "STATUS_CODE_OK" || code === 1 || code === "OK") return "OK";
  return "UNSET";
}

function toSpan(raw) {
  const attributes = {};
  for (const pair of raw.attributes ?? []) attributes[pair.key] = value(pair.value);
  const type = decoded(attributes["mlflow.spanType"]);
  const usageJson = decoded(attributes["mlflow.chat.tokenUsage"]);
  const usage = usageJson && typeof usageJson === "object"
    ? { input: usageJson.input_tokens ?? 0, output: usageJson.output_tokens ?? 0, cacheRead: usageJson.cache_read_input_tokens ?? 0, cacheWrite: usageJson.cache_creation_input_tokens ?? 0 }
    : null;
  return {
    id: raw.span_id,
    parent: raw.parent_span_id || null,
    name: raw.name,
    type: typeof type === "string" ? type : null,
    status: statusOf(raw.status),
    start: BigInt(raw.start_time_unix_nano ?? 0),
    attributes,
    usage,
  };
}

async function readTraces() {
  const infos = [];
  let token;
  do {
    const page = await api("api/3.0/mlflow/traces/search", {
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: experimentId } }],
      max_results: 100,
      ...(token ? { page_token: token } : {}),
    });
    infos.push(...(page.traces ?? []));
    token = page.next_page_token;
  } while (token);
  const traces = [];
  for (const info of infos) {
    const got = await api(`api/3.0/mlflow/traces/get?trace_id=${encodeURIComponent(info.trace_id)}`);
    const spans = (got.trace?.spans ?? got.trace?.data?.spans ?? []).map(toSpan);
    const root = spans.find((s) => !s.parent) ?? null;
    const inputs = root ? String(root.attributes["mlflow.spanInputs"] ?? "") : "";
    traces.push({
      id: info.trace_id,
      state: info.state,
      session: decoded(info.trace_metadata?.["mlflow.trace.session"]) ?? decoded(root?.attributes["session.id"]) ?? null,
      text: `${info.request_preview ?? ""}\n${inputs}`,
      root,
      spans,
    });
  }
  return traces;
}

const key = (u) => (u ? `${u.input}/${u.output}/${u.cacheRead}/${u.cacheWrite}` : "none");
const byStart = (a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

function tracesOf(traces, run) {
  return run.turns.map((turn) => traces.filter((t) => t.text.includes(turn.tag)));
}

function descendants(trace, span) {
  const out = [];
  const walk = (id) => {
    for (const child of trace.spans.filter((s) => s.parent === id)) {
      out.push(child);
      walk(child.id);
    }
  };
  walk(span.id);
  return out;
}

function ready(traces) {
  if (traces.some((t) => t.state === "IN_PROGRESS" || !t.root)) return false;
  const llm = traces.flatMap((t) => t.spans.filter((s) => s.type === "LLM")).length;
  if (llm < calls.length) return false;
  return runs.every((run) => tracesOf(traces, run).every((found) => found.length >= 1));
}

function compare(traces) {
  const problems = [];
  const allLlm = traces.flatMap((t) => t.spans.filter((s) => s.type === "LLM").map((s) => ({ ...s, trace: t })));

  for (const trace of traces) {
    if (trace.state === "IN_PROGRESS" || !trace.root) problems.push(`trace ${trace.id}: no root span (state ${trace.state})`);
  }

  // Every answered call exactly once, with exactly its usage; no usage from nowhere.
  const answered = calls.filter((c) => c.usage);
  const spansByUsage = new Map();
  for (const span of allLlm.filter((s) => s.usage)) spansByUsage.set(key(span.usage), [...(spansByUsage.get(key(span.usage)) ?? []), span]);
  for (const call of answered) {
    const found = spansByUsage.get(key(call.usage)) ?? [];
    if (found.length !== 1) problems.push(`call ${call.n} (${call.tag} step ${call.step}, ${call.api}): ${found.length} LLM spans with its usage ${key(call.usage)}, expected 1`);
    else if (found[0].status === "ERROR") problems.push(`call ${call.n} (${call.tag}): its LLM span is ERROR, the call succeeded`);
  }
  const known = new Set(answered.map((c) => key(c.usage)));
  for (const span of allLlm.filter((s) => s.usage && !known.has(key(s.usage)))) {
    problems.push(`trace ${span.trace.id}: LLM span "${span.name}" has usage ${key(span.usage)} the mock never returned`);
  }
  if (allLlm.length !== calls.length) problems.push(`${allLlm.length} LLM spans in MLflow for ${calls.length} model calls the mock answered`);

  for (const run of runs) {
    const scenario = SCENARIOS[run.scenario];
    const found = tracesOf(traces, run);
    const label = `${run.scenario}#${run.id}`;
    found.forEach((list, i) => {
      if (list.length !== 1) problems.push(`${label} turn ${i + 1}: ${list.length} traces carry its tag, expected 1`);
    });
    const turnTraces = found.map((list) => list[0]).filter(Boolean);
    for (const trace of turnTraces) {
      if (trace.state !== scenario.expect.status) problems.push(`${label}: trace ${trace.id} is ${trace.state}, expected ${scenario.expect.status}`);
      if (trace.session !== run.sessionKey) problems.push(`${label}: trace ${trace.id} has session ${trace.session}, expected ${run.sessionKey}`);
    }

    // The spans that belong to this run's own agent (not to a nested sub-agent).
    const childAgents = turnTraces.flatMap((t) => t.spans.filter((s) => s.type === "AGENT" && s.parent).map((s) => ({ trace: t, span: s })));
    const nested = new Set(childAgents.flatMap(({ trace, span }) => [span.id, ...descendants(trace, span).map((s) => s.id)]));
    const own = turnTraces.flatMap((t) => t.spans.filter((s) => !nested.has(s.id)).map((s) => ({ ...s, trace: t })));

    const ownCalls = calls.filter((c) => c.scenario === run.scenario && (c.id === run.id || c.id.startsWith(`${run.id}-t`)));
    const llm = own.filter((s) => s.type === "LLM").sort(byStart);
    const expectedKeys = ownCalls.map((c) => key(c.usage));
    const actualKeys = llm.map((s) => key(s.usage));
    if (expectedKeys.join(",") !== actualKeys.join(",")) {
      problems.push(`${label}: LLM spans in order have usage [${actualKeys.join(", ")}], the mock's calls [${expectedKeys.join(", ")}]`);
    }
    for (const span of llm.filter((s) => !s.usage)) {
      if (span.status !== "ERROR") problems.push(`${label}: LLM span "${span.name}" without usage (a failed call) is ${span.status}, expected ERROR`);
      const parent = own.find((s) => s.id === span.parent);
      if (scenario.expect.status === "OK" && !(parent?.type === "CHAIN" && parent.status === "ERROR")) {
        problems.push(`${label}: the failed call's LLM span is not inside a failed attempt (parent ${parent?.type} ${parent?.name} ${parent?.status})`);
      }
    }
    if (scenario.expect.failedCalls !== undefined) {
      const failed = llm.filter((s) => s.status === "ERROR").length;
      if (failed !== scenario.expect.failedCalls) problems.push(`${label}: ${failed} failed LLM spans, expected ${scenario.expect.failedCalls}`);
    }
    if (run.scenario === "always500" && (llm.length < 2 || llm.some((s) => s.status !== "ERROR" || s.usage))) {
      problems.push(`${label}: expected every one of ${llm.length} (>= 2) LLM spans ERROR without usage`);
    }

    const tools = own.filter((s) => s.type === "TOOL").map((s) => `${s.name}:${s.status === "ERROR" ? "ERROR" : "OK"}`).sort();
    const expectedTools = scenario.expect.tools.map(([name, status]) => `${name}:${status}`).sort();
    if (tools.join(",") !== expectedTools.join(",")) problems.push(`${label}: TOOL spans [${tools.join(", ")}], expected [${expectedTools.join(", ")}]`);

    if (scenario.expect.cache) {
      const [write, read] = llm.map((s) => s.usage);
      if (!(write?.cacheWrite > 0 && read?.cacheRead > 0)) problems.push(`${label}: expected a cache write on the first call and a cache read on the second, got ${key(write)} then ${key(read)}`);
    }

    if (scenario.expect.child) {
      // The sub-agent is the nested AGENT span holding the child's call; the announce turn that reports back to the
      // parent may be nested too, and holds only announce calls.
      const childCalls = calls.filter((c) => c.scenario === "child" && c.id === run.id && c.step === 0).map((c) => key(c.usage));
      const nestedLlm = ({ trace, span }) => descendants(trace, span).filter((s) => s.type === "LLM").map((s) => key(s.usage));
      const holders = childAgents.filter((agent) => nestedLlm(agent).some((k) => childCalls.includes(k)));
      if (holders.length !== 1) problems.push(`${label}: ${holders.length} nested AGENT spans hold the sub-agent's calls, expected 1`);
      const inChild = holders.flatMap(nestedLlm);
      if (childCalls.join(",") !== inChild.join(",")) problems.push(`${label}: the sub-agent's LLM spans [${inChild.join(", ")}] are not its calls [${childCalls.join(", ")}]`);
      const childTool = holders[0] && own.find((s) => s.id === holders[0].span.parent);
      if (holders[0] && childTool?.type !== "TOOL") problems.push(`${label}: the sub-agent is not nested under the spawning tool call (parent ${childTool?.type} ${childTool?.name})`);
      const announce = calls.filter((c) => c.id === run.id && (c.scenario === "announce" || (c.scenario === "child" && c.step > 0)));
      for (const call of announce) {
        const span = (spansByUsage.get(key(call.usage)) ?? [])[0];
        if (span && span.trace.session !== run.sessionKey) problems.push(`${label}: the announce call ${call.n} is in session ${span.trace.session}, expected ${run.sessionKey}`);
      }
    }
  }
  return problems;
}

const deadline = Date.now() + Number(waitSeconds) * 1000;
let traces = await readTraces();
while (!ready(traces) && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  traces = await readTraces();
}
// Settle: spans still on their way would show up as a difference below.
await new Promise((resolve) => setTimeout(resolve, 1500));
traces = await readTraces();

const problems = compare(traces);
const llmCount = traces.reduce((n, t) => n + t.spans.filter((s) => s.type === "LLM").length, 0);
console.log(`check: ${traces.length} traces, ${llmCount} LLM spans in experiment ${experimentId} at ${trackingUri}; ${calls.length} model calls answered by the mock; ${runs.length} scenario runs`);
for (const problem of problems) console.log(`DIFFERENCE: ${problem}`);
console.log(problems.length === 0 ? "check: every trace matches what the mock returned" : `check: ${problems.length} difference(s)`);
process.exit(problems.length === 0 ? 0 : 1);
