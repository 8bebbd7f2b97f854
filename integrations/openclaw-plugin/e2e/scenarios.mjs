// The end-to-end scenarios: what each `openclaw agent` turn asks, what the
// mock provider answers to each of its model calls, and what the checker then
// expects to find in MLflow. Shared by mock-provider.mjs and check.mjs.
//
// A turn's message carries a tag `SCENARIO:<name>#<id>`; the mock routes every
// request to the script of the tag in the latest user message and counts the
// requests per tag, so the n-th call of a scenario gets step n of its script.

export const OPENAI_MODEL = "mock/mock-model";
export const ANTHROPIC_MODEL = "mockant/claude-mock";

// One answer: text, tool calls, an HTTP 500, or a stream cut after a first chunk.
const text = (value) => ({ kind: "text", text: value });
const tools = (...calls) => ({ kind: "tools", calls });
const fail500 = { kind: "500" };
const cut = { kind: "cut" };

/**
 * name -> { turns: [{message, model?}], steps: [...answers], session: shared|own, expect: {...} }
 * `steps` past their end answer "done." (an extra call is still checked, never ignored).
 */
export const SCENARIOS = {
  simple: {
    turns: [{ message: "Say hello." }],
    steps: [text("Hello from the mock.")],
    expect: { status: "OK", tools: [] },
  },
  tool: {
    turns: [{ message: "Read notes.txt and tell me what it says." }],
    steps: [tools({ name: "read", args: { path: "notes.txt" } }), text("The notes say: remember the milk.")],
    expect: { status: "OK", tools: [["read", "OK"]] },
  },
  toolfail: {
    turns: [{ message: "Read does-not-exist.txt." }],
    steps: [tools({ name: "read", args: { path: "does-not-exist.txt" } }), text("That file does not exist.")],
    expect: { status: "OK", tools: [["read", "ERROR"]] },
  },
  parallel: {
    turns: [{ message: "Read notes.txt and other.txt at once." }],
    steps: [
      tools({ name: "read", args: { path: "notes.txt" } }, { name: "read", args: { path: "other.txt" } }),
      text("Both files read."),
    ],
    expect: { status: "OK", tools: [["read", "OK"], ["read", "OK"]] },
  },
  retry500: {
    turns: [{ message: "Answer after one server error." }],
    steps: [fail500, text("Recovered after a retry.")],
    expect: { status: "OK", tools: [], failedCalls: 1 },
  },
  always500: {
    turns: [{ message: "Every call fails." }],
    steps: "always-500",
    expect: { status: "ERROR", tools: [] },
  },
  streamcut: {
    turns: [{ message: "Answer after a cut stream." }],
    steps: [cut, text("Answered after the stream was cut.")],
    expect: { status: "OK", tools: [], failedCalls: 1 },
  },
  twoturns: {
    turns: [{ message: "First turn: say one." }, { message: "Second turn: say two." }],
    steps: [text("one"), text("two")],
    expect: { status: "OK", tools: [], sameSession: true },
  },
  anthropiccache: {
    turns: [{ message: "Read notes.txt (Anthropic, prompt cache).", model: ANTHROPIC_MODEL }],
    steps: [tools({ name: "read", args: { path: "notes.txt" } }), text("Cached answer: remember the milk.")],
    expect: { status: "OK", tools: [["read", "OK"]], cache: true },
  },
  subagent: {
    turns: [{ message: "Delegate a small task to a sub-agent." }],
    // The parent's first call spawns the child (whose own tag routes it to `child`); the announce turn that
    // reports the child's result back to the parent session is answered by the inter-session rule in the mock.
    steps: [
      tools({ name: "sessions_spawn", args: (id) => ({ task: `SCENARIO:child#${id} Reply with the single word CHILD-DONE.`, label: "mock-child" }) }),
      text("The sub-agent is on it."),
    ],
    expect: { status: "OK", tools: [["sessions_spawn", "OK"]], child: true },
  },
  child: {
    turns: [],
    steps: [text("CHILD-DONE")],
    expect: null,
  },
};

export const TAG_PATTERN = /SCENARIO:([a-z0-9]+)#([A-Za-z0-9-]+)/;

/** The answer for the `step`-th call (0-based) of `scenario`. */
export function answerFor(scenario, step) {
  const script = SCENARIOS[scenario]?.steps;
  if (script === "always-500") return fail500;
  if (!Array.isArray(script) || step >= script.length) return text("done.");
  return script[step];
}

/**
 * Usage the mock reports for its n-th successful call (n counts every call the mock answered), distinct per call,
 * and the usage the MLflow span must then carry (mlflow-contract.md §2: input includes cached tokens).
 */
export function usageFor(api, n, step) {
  if (api === "anthropic") {
    const input = 300 + 7 * n;
    // The first call writes the prompt cache, later calls read it.
    const cacheWrite = step === 0 ? 1200 + n : 0;
    const cacheRead = step === 0 ? 0 : 1100 + n;
    const output = 9 + (n % 11);
    return {
      wire: { input_tokens: input, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead, output_tokens: output },
      span: { input: input + cacheWrite + cacheRead, output, cacheRead, cacheWrite },
    };
  }
  const prompt = 900 + 13 * n;
  const cached = 64 * (n % 3);
  const completion = 5 + (n % 17);
  return {
    wire: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } },
    span: { input: prompt, output: completion, cacheRead: cached, cacheWrite: 0 },
  };
}
