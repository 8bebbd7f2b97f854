// Process-wide state shared by every copy of this plugin.
//
// OpenClaw may evaluate the plugin module more than once per process (each
// plugin registry loads it through its own loader) and calls register() once
// per registry: the gateway registers a "full" instance and one or more
// "discovery" instances. Module-level variables would therefore give each copy
// its own sequence counter and its own write queue, and lines could interleave
// out of order or be numbered twice. Everything that must be unique per
// process lives here instead, on globalThis under a registry-wide Symbol key.
//
// The key carries a layout version: a future, incompatible copy of the plugin
// loaded into the same process gets its own state instead of misreading ours.

const STATE_KEY = Symbol.for("openclaw-mlflow-recorder/shared-state@1");

/**
 * @typedef {object} WriterState
 * @property {string|null} file        absolute path lines are appended to
 * @property {string[]} queue          lines waiting for the next flush
 * @property {boolean} scheduled       a flush is scheduled with setImmediate
 * @property {boolean} partialLine     the last failed write may have left half a line
 * @property {number} dropped          lines lost since the last successful write
 * @property {number} maxBytes         rotate the file once it is this big (0: never)
 * @property {number} keep             rotated segments kept (`<file>.1` newest)
 * @property {boolean} rotateAfterClose  the last write reached maxBytes
 *
 * @typedef {object} SharedState
 * @property {number} seq              last sequence number handed out
 * @property {number} instances        register() calls so far
 * @property {Map<string, {instance: number, monoMs: number, eventJson: string, ctxJson: string}>} lastByHook
 * @property {{info?: Function, warn?: Function}|null} logger  logger of the latest registration
 * @property {Set<string>} reported    keys of messages already logged once
 * @property {WriterState} writer
 */

/** @returns {SharedState} */
export function sharedState() {
  let state = globalThis[STATE_KEY];
  if (state === undefined) {
    state = createState();
    // Non-enumerable so it does not show up when someone dumps globalThis;
    // configurable so tests can start from a clean slate.
    Object.defineProperty(globalThis, STATE_KEY, {
      value: state,
      configurable: true,
      enumerable: false,
      writable: true,
    });
  }
  return state;
}

/** Forgets all process-wide state. Only for tests. */
export function resetSharedStateForTests() {
  delete globalThis[STATE_KEY];
}

function createState() {
  return {
    seq: 0,
    instances: 0,
    lastByHook: new Map(),
    logger: null,
    reported: new Set(),
    writer: {
      file: null,
      queue: [],
      scheduled: false,
      partialLine: false,
      dropped: 0,
      maxBytes: 0,
      keep: 3,
      rotateAfterClose: false,
    },
  };
}

/** Logs a warning the first time `key` is seen in this process; never throws. */
export function warnOnce(key, message) {
  const state = sharedState();
  if (state.reported.has(key)) return;
  state.reported.add(key);
  log("warn", message);
}

/** Logs through the latest registration's logger; never throws. */
export function log(level, message) {
  try {
    const logger = sharedState().logger;
    const write = logger?.[level] ?? logger?.warn;
    if (typeof write === "function") write.call(logger, `[mlflow-trace-recorder] ${message}`);
  } catch {
    // A broken logger must not turn into a broken hook.
  }
}
