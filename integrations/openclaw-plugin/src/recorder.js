// Builds one JSON line per hook call and hands it to the writer.
//
// Line format (version 1, the bridge's input; same fields and order as the
// captures in tests/data/openclaw-captures plus the leading "v"):
//   {"v":1,"seq":N,"instance":N,"hook":"name","ts":"ISO-8601 UTC with ms",
//    "tsMs":epochMs,"monoMs":performance.now(),"pid":N,"event":{...},"ctx":{...}}
//
// `seq` is process-wide and strictly increasing in file order; `instance` is
// the number of the register() call whose handler received the event; `ts`,
// `tsMs` and `monoMs` are taken when the handler is called (hook payloads carry
// almost no timestamps of their own).

import { performance } from "node:perf_hooks";
import { stringifySafe } from "./serialize.js";
import { sharedState } from "./shared-state.js";
import { appendLine } from "./writer.js";

export const LINE_FORMAT_VERSION = 1;

// How close in time two identical deliveries from different instances must be
// to count as one event delivered twice (see isFanOutDuplicate).
export const FAN_OUT_WINDOW_MS = 250;

/**
 * Records one hook call, redacted by `redactor` (src/redaction.js; null: not
 * redacted). Synchronous; returns true if a line was queued.
 * Callers must still guard it with try/catch: it is the hook path.
 */
export function recordHook(hook, instance, event, ctx, maxStringChars, redactor = null) {
  const monoMs = performance.now();
  const tsMs = Date.now();
  const options = { maxStringChars, redactor };
  const eventJson = stringifySafe(event, options);
  const ctxJson = stringifySafe(ctx, options);
  if (isFanOutDuplicate(hook, instance, monoMs, eventJson, ctxJson)) return false;
  queueLine(hook, instance, tsMs, monoMs, eventJson, ctxJson);
  return true;
}

/** Records a register() call as a `__plugin_register__` line. */
export function recordRegistration(hook, instance, event) {
  queueLine(hook, instance, Date.now(), performance.now(), stringifySafe(event), "{}");
}

function queueLine(hook, instance, tsMs, monoMs, eventJson, ctxJson) {
  const state = sharedState();
  // Taken after serialisation, in the same synchronous call as the queue push,
  // so seq order is file order.
  const seq = ++state.seq;
  const line =
    `{"v":${LINE_FORMAT_VERSION},"seq":${seq},"instance":${instance},"hook":${JSON.stringify(hook)},` +
    `"ts":"${new Date(tsMs).toISOString()}","tsMs":${tsMs},"monoMs":${monoMs},"pid":${process.pid},` +
    `"event":${eventJson},"ctx":${ctxJson}}\n`;
  appendLine(line);
}

// One real event must produce one line, but every registration instance
// registers handlers for every hook (agent hooks fire on a "discovery"
// instance, gateway hooks on the "full" one, and a reload adds new instances).
//
// What OpenClaw 2026.9.6 does: the global hook runner dispatches from one
// registry view, and when it overlays two registries it keeps exactly one
// handler per (pluginId, hookName) (hook-runner-global: overlayHookRegistries).
// So each event reaches only one of our instances; the captures confirm it
// (every event appears once, stamped with a single instance number).
//
// Defence in depth, in case a future host fans one event out to several of our
// instances: a call is dropped when the previous line for the same hook came
// from a *different* instance less than FAN_OUT_WINDOW_MS ago with byte-for-byte
// identical event and ctx. Fan-out happens within microseconds (void hooks call
// all handlers in the same tick, modify hooks one after the other), whereas two
// real events with identical payloads from two different registries within
// that window do not occur: a registry switch takes far longer. Identical
// events from the *same* instance (which are real repeats) are always kept.
// Content is compared rather than object identity because OpenClaw builds a
// new event object per handler for some hooks (before_message_write,
// tool_result_persist, isolated modify hooks).
function isFanOutDuplicate(hook, instance, monoMs, eventJson, ctxJson) {
  const lastByHook = sharedState().lastByHook;
  const last = lastByHook.get(hook);
  if (
    last !== undefined &&
    last.instance !== instance &&
    monoMs - last.monoMs < FAN_OUT_WINDOW_MS &&
    last.eventJson === eventJson &&
    last.ctxJson === ctxJson
  ) {
    return true;
  }
  lastByHook.set(hook, { instance, monoMs, eventJson, ctxJson });
  return false;
}
