// A loopback model provider for the end-to-end run: OpenAI chat completions
// (`.../chat/completions`) and Anthropic messages (`.../messages`), both
// streaming (SSE), answering by the scripts in scenarios.mjs with distinct
// usage per call. Every answer is appended to a JSON-lines log (one line per
// call: tag, step, api, outcome, the usage the MLflow span must carry), which
// check.mjs compares the traces against.
//
// Usage: node mock-provider.mjs <port-file> <calls.jsonl> [lifetime-seconds]
// Binds 127.0.0.1 on a free port, writes the port to <port-file>, exits after
// the lifetime (default 900 s) so a broken run never leaves it behind.

import fs from "node:fs";
import http from "node:http";
import { answerFor, TAG_PATTERN, usageFor } from "./scenarios.mjs";

const [portFile, callsFile, lifetime = "900"] = process.argv.slice(2);
if (!portFile || !callsFile) {
  console.error("usage: node mock-provider.mjs <port-file> <calls.jsonl> [lifetime-seconds]");
  process.exit(2);
}

const stepsByTag = new Map();
let answered = 0;

function messagesText(message) {
  const content = message?.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === "string" ? part.text : "")).join("\n");
  return "";
}

// The tag of the latest user message that has one; an inter-session message (the
// announce turn after a sub-agent) is answered as its own "announce" step.
function route(messages) {
  const users = messages.filter((m) => m?.role === "user");
  const last = users.at(-1);
  const lastText = messagesText(last);
  for (let i = users.length - 1; i >= 0; i--) {
    const match = TAG_PATTERN.exec(messagesText(users[i]));
    if (match) {
      const announce = lastText.startsWith("[Inter-session message]");
      return { scenario: announce ? "announce" : match[1], id: match[2], tag: `${announce ? "announce" : match[1]}#${match[2]}` };
    }
  }
  return { scenario: "untagged", id: "none", tag: "untagged#none" };
}

function log(entry) {
  fs.appendFileSync(callsFile, `${JSON.stringify({ t: Date.now(), ...entry })}\n`);
}

function sse(res, event, data) {
  res.write(event ? `event: ${event}\ndata: ${JSON.stringify(data)}\n\n` : `data: ${JSON.stringify(data)}\n\n`);
}

function toolArgs(call, id) {
  return JSON.stringify(typeof call.args === "function" ? call.args(id) : call.args);
}

function answerOpenAI(res, answer, usage, route, n) {
  const id = `chatcmpl-mock-${n}`;
  const chunk = (delta, finish = null) => ({ id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: "mock-model", choices: [{ index: 0, delta, finish_reason: finish }] });
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  if (answer.kind === "cut") {
    sse(res, null, chunk({ role: "assistant", content: "This answer is cut" }));
    setTimeout(() => res.socket?.destroy(), 50);
    return;
  }
  if (answer.kind === "text") {
    sse(res, null, chunk({ role: "assistant", content: answer.text }));
    sse(res, null, chunk({}, "stop"));
  } else {
    // A tool call is sent in two deltas: name first, then the arguments (what OpenAI does, §7).
    answer.calls.forEach((call, index) => {
      const callId = `call_mock_${n}_${index}`;
      sse(res, null, chunk({ ...(index === 0 ? { role: "assistant" } : {}), tool_calls: [{ index, id: callId, type: "function", function: { name: call.name, arguments: "" } }] }));
      sse(res, null, chunk({ tool_calls: [{ index, function: { arguments: toolArgs(call, route.id) } }] }));
    });
    sse(res, null, chunk({}, "tool_calls"));
  }
  sse(res, null, { id, object: "chat.completion.chunk", created: Math.floor(Date.now() / 1000), model: "mock-model", choices: [], usage: usage.wire });
  res.end("data: [DONE]\n\n");
}

function answerAnthropic(res, answer, usage, route, n) {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const start = { ...usage.wire, output_tokens: 1 };
  sse(res, "message_start", { type: "message_start", message: { id: `msg_mock_${n}`, type: "message", role: "assistant", model: "claude-mock", content: [], stop_reason: null, stop_sequence: null, usage: start } });
  if (answer.kind === "cut") {
    sse(res, "content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    sse(res, "content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "This answer is cut" } });
    setTimeout(() => res.socket?.destroy(), 50);
    return;
  }
  let stop = "end_turn";
  if (answer.kind === "text") {
    sse(res, "content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    sse(res, "content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: answer.text } });
    sse(res, "content_block_stop", { type: "content_block_stop", index: 0 });
  } else {
    stop = "tool_use";
    answer.calls.forEach((call, index) => {
      sse(res, "content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: `toolu_mock_${n}_${index}`, name: call.name, input: {} } });
      sse(res, "content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: toolArgs(call, route.id) } });
      sse(res, "content_block_stop", { type: "content_block_stop", index });
    });
  }
  sse(res, "message_delta", { type: "message_delta", delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.wire.output_tokens } });
  sse(res, "message_stop", { type: "message_stop" });
  res.end();
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const path = req.url ?? "/";
    const api = path.endsWith("/chat/completions") ? "openai" : path.endsWith("/messages") ? "anthropic" : null;
    if (req.method !== "POST" || api === null) {
      log({ api: null, method: req.method, path, outcome: "404" });
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400).end();
      return;
    }
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const target = route(messages);
    const step = stepsByTag.get(target.tag) ?? 0;
    stepsByTag.set(target.tag, step + 1);
    const answer = target.scenario === "announce" ? { kind: "text", text: "ANNOUNCED" } : answerFor(target.scenario, step);
    const n = ++answered;
    const entry = { tag: target.tag, scenario: target.scenario, id: target.id, step, n, api, model: body.model ?? null, stream: body.stream === true, outcome: answer.kind };
    if (answer.kind === "500") {
      log({ ...entry, usage: null });
      const error = api === "openai"
        ? { error: { message: "mock internal server error", type: "server_error", code: "internal_error" } }
        : { type: "error", error: { type: "api_error", message: "mock internal server error" } };
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify(error));
      return;
    }
    const usage = usageFor(api, n, step);
    log({ ...entry, usage: answer.kind === "cut" ? null : usage.span });
    if (api === "openai") answerOpenAI(res, answer, usage, target, n);
    else answerAnthropic(res, answer, usage, target, n);
  });
});

server.listen(0, "127.0.0.1", () => {
  fs.writeFileSync(portFile, String(server.address().port));
});
setTimeout(() => process.exit(0), Number(lifetime) * 1000).unref();
process.on("SIGTERM", () => process.exit(0));
