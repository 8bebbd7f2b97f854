// Turns any value OpenClaw hands to a hook into JSON text, without ever throwing.
//
// Hook events and contexts are live runtime objects: they carry functions
// (`getCron`, `hookInvocation.assertActive`, tool `execute`), AbortSignals, the
// whole gateway config, dispatcher objects, and may in future carry cycles,
// BigInts, buffers or getters that throw. `JSON.stringify` alone throws on
// some of these and silently drops others, so we first convert to a plain tree
// of JSON-safe values with explicit placeholders, then stringify that tree.
//
// Placeholders (the bridge reads these literally):
//   function                  -> "[function]"
//   AbortSignal               -> {"[AbortSignal]": true, "aborted": <bool>}
//   top-level config/cfg/dispatcher key of event or ctx -> "[omitted]"
//   reference to an ancestor  -> "[circular]"   (shared, non-cyclic references are written in full)
//   nesting deeper than MAX_DEPTH -> "[depth-limit]"
//   more than MAX_NODES values in one event -> "[size-limit]" (guards against DAG blow-up)
//   property whose getter throws, or a hostile Proxy -> "[unreadable]"
//   undefined                 -> null  (so "key present, value undefined" survives)
//   NaN / Infinity            -> null  (what JSON.stringify does; the reader expects numbers or null)
//   BigInt                    -> its decimal digits as a string, e.g. "12345678901234567890"
//                                (a JSON number would lose precision in most readers)
//   Symbol                    -> "Symbol(description)"
//   Date                      -> ISO-8601 string ("Invalid Date" if invalid)
//   Error                     -> {name, message, stack, ...own enumerable fields, cause?}
//   Buffer / typed array / DataView / ArrayBuffer -> {"[bytes]": byteLength}
//   Map                       -> array of [key, value] pairs (keys need not be strings)
//   Set                       -> array of values
//   Promise                   -> "[promise]"
//   other class instances     -> their own enumerable properties, like JSON.stringify
//   strings longer than maxStringChars -> first maxStringChars chars + "…[truncated N chars]"
//   with a redactor (src/redaction.js): the value under a secret-named key at
//   any depth -> "[REDACTED]" (numbers, booleans and null stay); secret-shaped
//   text inside any string -> "[REDACTED]", before the string is cut

import { keepsUnderSecretName, REDACTION_OVERLAP_CHARS } from "./redaction.js";

export const DEFAULT_MAX_STRING_CHARS = 65536;
export const MAX_DEPTH = 64;
export const MAX_NODES = 1_000_000;

// Keys replaced at the top level of `event` and `ctx` only. They hold the full
// OpenClaw config (provider API keys included) and the reply dispatcher: huge,
// secret-bearing and useless for tracing. Deeper keys with these names (for
// example a tool parameter called "config") are user data and are kept.
export const OMITTED_TOP_LEVEL_KEYS = Object.freeze(["config", "cfg", "dispatcher"]);
const OMITTED = new Set(OMITTED_TOP_LEVEL_KEYS);

/**
 * Converts `value` to a tree that JSON.stringify can always handle.
 * @param {unknown} value
 * @param {{maxStringChars?: number, redactor?: ReturnType<typeof import("./redaction.js").createRedactor>}} [options]
 * @returns {unknown}
 */
export function toJsonSafe(value, options) {
  const state = {
    maxStringChars: normalizeMax(options?.maxStringChars),
    redactor: options?.redactor ?? null,
    schemaProperties: undefined,
    ancestors: new Set(),
    nodes: 0,
  };
  try {
    return convert(value, 0, state);
  } catch {
    return "[unreadable]";
  }
}

/**
 * JSON text for `value`; never throws.
 * @param {unknown} value
 * @param {Parameters<typeof toJsonSafe>[1]} [options]
 * @returns {string}
 */
export function stringifySafe(value, options) {
  try {
    // The tree only holds plain values, so this can only fail on a result
    // larger than V8's maximum string length.
    return JSON.stringify(toJsonSafe(value, options)) ?? "null";
  } catch {
    return '"[unserializable]"';
  }
}

/** Cuts a string to `max` UTF-16 units and says how much was cut. */
export function truncateString(text, max) {
  if (text.length <= max) return text;
  let cut = max;
  // Do not leave half of a surrogate pair at the end.
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…[truncated ${text.length - cut} chars]`;
}

// Only the part the cut keeps (and a margin past it) is scanned; the marker
// still counts the characters cut from the whole string.
function redactAndTruncate(text, state) {
  const max = state.maxStringChars;
  if (text.length <= max + REDACTION_OVERLAP_CHARS) return truncateString(state.redactor.redactText(text), max);
  const head = truncateString(state.redactor.redactText(text.slice(0, max + REDACTION_OVERLAP_CHARS)), max);
  const kept = head.lastIndexOf("…[truncated ");
  return `${head.slice(0, kept < 0 ? head.length : kept)}…[truncated ${text.length - Math.min(max, text.length)} chars]`;
}

function normalizeMax(value) {
  return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_STRING_CHARS;
}

function convert(value, depth, state) {
  if (++state.nodes > MAX_NODES) return "[size-limit]";
  switch (typeof value) {
    case "string":
      return state.redactor === null ? truncateString(value, state.maxStringChars) : redactAndTruncate(value, state);
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value;
    case "undefined":
      return null;
    case "bigint":
      return value.toString();
    case "symbol":
      return String(value);
    case "function":
      return "[function]";
    default:
      break;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) return "[depth-limit]";
  if (state.ancestors.has(value)) return "[circular]";
  state.ancestors.add(value);
  try {
    return convertObject(value, depth, state);
  } catch {
    // instanceof, Object.keys or an iterator threw: a revoked or hostile Proxy.
    return "[unreadable]";
  } finally {
    state.ancestors.delete(value);
  }
}

function convertObject(value, depth, state) {
  if (typeof AbortSignal === "function" && value instanceof AbortSignal) {
    return { "[AbortSignal]": true, aborted: readBoolean(value, "aborted") };
  }
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? "Invalid Date" : value.toISOString();
  }
  if (ArrayBuffer.isView(value)) return { "[bytes]": value.byteLength };
  if (value instanceof ArrayBuffer) return { "[bytes]": value.byteLength };
  if (typeof SharedArrayBuffer === "function" && value instanceof SharedArrayBuffer) {
    return { "[bytes]": value.byteLength };
  }
  if (value instanceof Promise) return "[promise]";
  if (isError(value)) return convertError(value, depth, state);
  if (value instanceof Map) {
    const out = [];
    for (const [key, item] of value) {
      if (state.nodes >= MAX_NODES) return withSizeLimit(out);
      const secret = typeof key === "string" && state.redactor?.isSecretName(key) && !keepsUnderSecretName(item);
      out.push([convert(key, depth + 2, state), secret ? state.redactor.marker : convert(item, depth + 2, state)]);
    }
    return out;
  }
  if (value instanceof Set) {
    const out = [];
    for (const item of value) {
      if (state.nodes >= MAX_NODES) return withSizeLimit(out);
      out.push(convert(item, depth + 1, state));
    }
    return out;
  }
  if (Array.isArray(value)) {
    const out = [];
    const length = value.length;
    for (let i = 0; i < length; i++) {
      // Without this check a sparse array of length 1e9 would spin for ages.
      if (state.nodes >= MAX_NODES) return withSizeLimit(out);
      out.push(readProperty(value, i, depth, state));
    }
    return out;
  }
  // A null prototype keeps an own "__proto__" key as data instead of
  // turning the assignment into a prototype change.
  const out = Object.create(null);
  const schema = state.schemaProperties === value;
  for (const key of Object.keys(value)) {
    if (state.nodes >= MAX_NODES) {
      out["[size-limit]"] = true;
      break;
    }
    if (depth === 0 && OMITTED.has(key)) out[key] = "[omitted]";
    else if (state.redactor?.isSecretName(key)) out[key] = readSecret(value, key, depth, state, schema);
    else if (key === "properties" && state.redactor) out[key] = readSchemaProperties(value, key, depth, state);
    else out[key] = readProperty(value, key, depth, state);
  }
  return out;
}

function convertError(error, depth, state) {
  const out = Object.create(null);
  for (const key of ["name", "message", "stack"]) out[key] = readProperty(error, key, depth, state);
  for (const key of Object.keys(error)) {
    if (!(key in out)) out[key] = readProperty(error, key, depth, state);
  }
  if (!("cause" in out) && Object.prototype.hasOwnProperty.call(error, "cause")) {
    out.cause = readProperty(error, "cause", depth, state);
  }
  return out;
}

function isError(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}

function readProperty(owner, key, depth, state) {
  let item;
  try {
    item = owner[key];
  } catch {
    return "[unreadable]";
  }
  return convert(item, depth + 1, state);
}

// The value under a secret-named key: the marker, unless it is a count or a
// flag, or a schema in a JSON Schema `properties` object (a tool definition's
// {"apiKey": {"type": "string"}}). Read once: a getter may not be idempotent.
function readSecret(owner, key, depth, state, schema) {
  let item;
  try {
    item = owner[key];
  } catch {
    return "[unreadable]";
  }
  const isSchema = schema && typeof item === "object" && item !== null && !Array.isArray(item);
  return keepsUnderSecretName(item) || isSchema ? convert(item, depth + 1, state) : state.redactor.marker;
}

// The value of a `properties` key: when it is an object, its keys name
// parameters of a JSON Schema, whose values are schemas (see readSecret).
function readSchemaProperties(owner, key, depth, state) {
  let item;
  try {
    item = owner[key];
  } catch {
    return "[unreadable]";
  }
  const previous = state.schemaProperties;
  state.schemaProperties = item;
  try {
    return convert(item, depth + 1, state);
  } finally {
    state.schemaProperties = previous;
  }
}

function readBoolean(owner, key) {
  try {
    return Boolean(owner[key]);
  } catch {
    return null;
  }
}

function withSizeLimit(array) {
  array.push("[size-limit]");
  return array;
}
