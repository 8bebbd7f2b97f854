// Appends JSON lines to the output file, in order, off the hook's call path.
//
// Design: a hook handler only pushes its finished line onto an in-memory queue
// and returns. The queue is written once per event-loop turn (setImmediate)
// with one synchronous open(O_APPEND) + write + close. Why this shape:
//
// * The handler never touches the disk, so a slow or full disk cannot slow
//   down or fail a hook, including the synchronous `before_message_write` and
//   `tool_result_persist` hooks.
// * Synchronous writes leave no write in flight: lines reach the file in queue
//   (= sequence) order, and the `exit` handler can write whatever is still
//   queued without racing an unfinished asynchronous write. A crash loses at
//   most the events of the current event-loop turn.
// * Opening the file per flush (a few microseconds, at most once per turn)
//   means no file descriptor is held across plugin reloads, and the recorder
//   follows log rotation, deletion of the file and deletion of its directory.
// * Files are created with mode 0600 and directories with 0700: the lines
//   contain prompts, model output and tool results. An existing file keeps
//   whatever mode its owner gave it.
//
// Write failures (unwritable path, disk full) drop the affected lines, are
// logged once per process, and are retried on every later flush; the first
// successful write after a failure logs how many lines were lost.

import fs from "node:fs";
import path from "node:path";
import { log, sharedState, warnOnce } from "./shared-state.js";

// Installed once per process (not once per state object or module copy), and
// flushes whatever writer state is current at exit.
const EXIT_HOOK_KEY = Symbol.for("openclaw-mlflow-recorder/exit-hook@1");

// Owner-only: the lines hold prompts, model output and tool results.
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

// Largest single write, in UTF-16 units (about 4 MB of mostly-ASCII JSON).
const CHUNK_CHARS = 4 * 1024 * 1024;

// Rotation: once the file reaches `writer.maxBytes` it is renamed to
// `<file>.1` (an older `.1` becomes `.2`, and so on; the oldest beyond
// `writer.keep` is deleted) and the next flush starts a new file. The bridge
// finishes the renamed file before it reads the new one (`follow`), and
// `replay` takes the segments oldest first: `<file>.3 <file>.2 <file>.1 <file>`.
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;
export const DEFAULT_KEEP_SEGMENTS = 3;

/** Sets the rotation limits: rotate at `maxBytes` (0 = never), keep `keep` rotated segments. */
export function setRotation(maxBytes, keep) {
  const writer = sharedState().writer;
  writer.maxBytes = maxBytes;
  writer.keep = keep;
}

/**
 * Points the writer at `file` (absolute). Lines already queued still go to
 * the previous file, so a config reload never moves old events to a new file.
 */
export function setOutFile(file) {
  const writer = sharedState().writer;
  if (writer.file === file) return;
  if (writer.queue.length > 0) flush(writer);
  writer.file = file;
  writer.partialLine = false;
}

/** Queues one complete line (ending in "\n"); never throws, never blocks. */
export function appendLine(line) {
  const writer = sharedState().writer;
  writer.queue.push(line);
  installExitHook();
  if (!writer.scheduled) {
    writer.scheduled = true;
    setImmediate(() => flush(writer));
  }
}

/** Writes everything queued now, synchronously. For shutdown paths and tests. */
export function flushNow() {
  flush(sharedState().writer);
}

// Writes what is still queued when the process exits normally: process.exit(),
// the end of the event loop, OpenClaw's own SIGTERM/SIGINT shutdown. Only
// synchronous work can run in an 'exit' listener, which is what flush() does.
function installExitHook() {
  if (globalThis[EXIT_HOOK_KEY] === true) return;
  Object.defineProperty(globalThis, EXIT_HOOK_KEY, { value: true, configurable: true });
  // One deliberate, permanent listener: raise the limit by one so that we never
  // trigger Node's MaxListenersExceededWarning in the host's log (the gateway
  // already has about ten 'exit' listeners of its own).
  try {
    const limit = process.getMaxListeners();
    if (limit !== 0 && Number.isFinite(limit)) process.setMaxListeners(limit + 1);
  } catch {
    // Only a warning is at stake.
  }
  process.once("exit", () => {
    try {
      flush(sharedState().writer);
    } catch {
      // Exiting anyway; never turn an exit into a crash.
    }
  });
}

// Never throws: it runs from setImmediate and from the 'exit' listener, where
// an exception would crash OpenClaw.
function flush(writer) {
  writer.scheduled = false;
  if (writer.queue.length === 0) return;
  const lines = writer.queue;
  writer.queue = [];
  const progress = { linesWritten: 0 };
  try {
    writeLines(writer, lines, progress);
    if (writer.dropped > 0) {
      log("info", `writing to ${writer.file} works again; ${writer.dropped} event line(s) were lost before.`);
      writer.dropped = 0;
    }
  } catch (error) {
    writer.dropped += lines.length - progress.linesWritten;
    let reason;
    try {
      reason = error?.code ?? error?.message ?? String(error);
    } catch {
      reason = "unknown error";
    }
    warnOnce(
      "write-failed",
      `cannot write hook events to ${writer.file} (${reason}); events are dropped until the path becomes writable. OpenClaw itself is not affected.`,
    );
  }
}

function writeLines(writer, lines, progress) {
  if (!writer.file) throw new Error("no output file configured");
  const fd = openForAppend(writer.file);
  try {
    // An earlier failure may have left half a line behind: start on a fresh
    // line so the reader loses only that fragment, not our next line too.
    if (writer.partialLine) writeText(fd, "\n", writer);
    // Lines are joined into chunks to save system calls, but never into one
    // giant string: a burst of huge events must not hit V8's string limit.
    let chunk = "";
    let chunkLines = 0;
    for (const line of lines) {
      if (chunkLines > 0 && chunk.length + line.length > CHUNK_CHARS) {
        writeText(fd, chunk, writer);
        progress.linesWritten += chunkLines;
        chunk = "";
        chunkLines = 0;
      }
      chunk += line;
      chunkLines += 1;
    }
    writeText(fd, chunk, writer);
    progress.linesWritten += chunkLines;
    if (writer.maxBytes > 0 && fs.fstatSync(fd).size >= writer.maxBytes) writer.rotateAfterClose = true;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing useful to do; the data was handed to the kernel already.
    }
  }
  if (writer.rotateAfterClose) {
    writer.rotateAfterClose = false;
    rotate(writer);
  }
}

// Only whole lines are ever in the file when it is renamed: rotation runs after
// a flush, in the same synchronous call, so no line is split across segments.
function rotate(writer) {
  try {
    const keep = Math.max(1, writer.keep ?? DEFAULT_KEEP_SEGMENTS);
    fs.rmSync(`${writer.file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${writer.file}.${i}`)) fs.renameSync(`${writer.file}.${i}`, `${writer.file}.${i + 1}`);
    }
    fs.renameSync(writer.file, `${writer.file}.1`);
  } catch (error) {
    warnOnce("rotate-failed", `cannot rotate ${writer.file} (${error?.code ?? error?.message ?? error}); it keeps growing.`);
  }
}

function writeText(fd, text, writer) {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  try {
    while (written < bytes.length) {
      written += fs.writeSync(fd, bytes, written, bytes.length - written);
    }
    writer.partialLine = false;
  } catch (error) {
    if (written > 0) writer.partialLine = true;
    throw error;
  }
}

function openForAppend(file) {
  try {
    return fs.openSync(file, "a", FILE_MODE);
  } catch (error) {
    if (error?.code !== "ENOENT") throw error;
  }
  // First write, or the directory was removed: create it and try once more.
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
  return fs.openSync(file, "a", FILE_MODE);
}
