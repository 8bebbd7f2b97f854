import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  DEFAULT_MAX_STRING_CHARS,
  MAX_DEPTH,
  MAX_NODES,
  stringifySafe,
  toJsonSafe,
  truncateString,
} from "../src/serialize.js";

// Round-trips through JSON so assertions see exactly what the file will hold.
const roundTrip = (value, options) => JSON.parse(stringifySafe(value, options));

describe("placeholders for values JSON cannot hold", () => {
  test("functions, including async functions and classes", () => {
    assert.deepEqual(roundTrip({ a() {}, b: async () => 1, c: class {} }), {
      a: "[function]",
      b: "[function]",
      c: "[function]",
    });
  });

  test("AbortSignal keeps only its aborted flag", () => {
    const live = new AbortController();
    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    assert.deepEqual(roundTrip({ live: live.signal, aborted: aborted.signal }), {
      live: { "[AbortSignal]": true, aborted: false },
      aborted: { "[AbortSignal]": true, aborted: true },
    });
  });

  test("cycles become [circular] but shared references are written in full", () => {
    const node = { name: "root" };
    node.self = node;
    node.child = { parent: node };
    const shared = { x: 1 };
    assert.deepEqual(roundTrip(node), { name: "root", self: "[circular]", child: { parent: "[circular]" } });
    assert.deepEqual(roundTrip({ a: shared, b: [shared, shared] }), { a: { x: 1 }, b: [{ x: 1 }, { x: 1 }] });
    const list = [1];
    list.push(list);
    assert.deepEqual(roundTrip(list), [1, "[circular]"]);
  });

  test("BigInt becomes its decimal digits without precision loss", () => {
    assert.deepEqual(roundTrip({ n: 12345678901234567890n, neg: -5n }), { n: "12345678901234567890", neg: "-5" });
  });

  test("a throwing getter becomes [unreadable] and siblings survive", () => {
    const value = {
      before: 1,
      get broken() {
        throw new Error("no");
      },
      after: 2,
    };
    assert.deepEqual(roundTrip(value), { before: 1, broken: "[unreadable]", after: 2 });
  });

  test("hostile proxies become [unreadable]", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const trap = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error("no keys");
        },
      },
    );
    assert.deepEqual(roundTrip({ revoked: proxy, trap, ok: true }), { revoked: "[unreadable]", trap: "[unreadable]", ok: true });
  });

  test("Symbols become strings, symbol keys are skipped", () => {
    assert.deepEqual(roundTrip({ s: Symbol("tag"), [Symbol("hidden")]: 1 }), { s: "Symbol(tag)" });
  });

  test("undefined is kept as null in objects and arrays", () => {
    assert.equal(stringifySafe({ a: undefined, b: [undefined, 1] }), '{"a":null,"b":[null,1]}');
    assert.equal(stringifySafe(undefined), "null");
    // Sparse array holes too.
    assert.equal(stringifySafe([1, , 3]), "[1,null,3]"); // eslint-disable-line no-sparse-arrays
  });

  test("non-finite numbers become null", () => {
    assert.deepEqual(roundTrip({ a: NaN, b: Infinity, c: -Infinity, d: 1.5 }), { a: null, b: null, c: null, d: 1.5 });
  });

  test("Date, Error, bytes, Map, Set and Promise", () => {
    const error = new TypeError("bad input", { cause: new Error("root cause") });
    error.code = "E_BAD";
    const out = roundTrip({
      when: new Date(Date.UTC(2026, 10, 22, 0, 26, 57, 166)),
      invalid: new Date(Number.NaN),
      error,
      buffer: Buffer.from("hello"),
      typed: new Float64Array(4),
      raw: new ArrayBuffer(7),
      view: new DataView(new ArrayBuffer(3)),
      map: new Map([
        ["k", 1],
        [{ id: 2 }, "object key"],
      ]),
      set: new Set(["a", "b"]),
      pending: Promise.resolve(1),
    });
    assert.equal(out.when, "2026-11-22T00:26:57.166Z");
    assert.equal(out.invalid, "Invalid Date");
    assert.equal(out.error.name, "TypeError");
    assert.equal(out.error.message, "bad input");
    assert.match(out.error.stack, /TypeError: bad input/);
    assert.equal(out.error.code, "E_BAD");
    assert.equal(out.error.cause.message, "root cause");
    assert.deepEqual(out.buffer, { "[bytes]": 5 });
    assert.deepEqual(out.typed, { "[bytes]": 32 });
    assert.deepEqual(out.raw, { "[bytes]": 7 });
    assert.deepEqual(out.view, { "[bytes]": 3 });
    assert.deepEqual(out.map, [
      ["k", 1],
      [{ id: 2 }, "object key"],
    ]);
    assert.deepEqual(out.set, ["a", "b"]);
    assert.equal(out.pending, "[promise]");
  });
});

describe("size limits", () => {
  test("strings longer than maxStringChars are cut with a visible marker", () => {
    const long = "x".repeat(100);
    assert.equal(roundTrip(long, { maxStringChars: 10 }), `${"x".repeat(10)}…[truncated 90 chars]`);
    assert.equal(roundTrip("short", { maxStringChars: 10 }), "short");
    assert.equal(roundTrip("x".repeat(10), { maxStringChars: 10 }), "x".repeat(10));
  });

  test("the default cap is 65536 characters", () => {
    const huge = "y".repeat(DEFAULT_MAX_STRING_CHARS + 1234);
    const out = roundTrip({ huge });
    assert.equal(out.huge, `${"y".repeat(DEFAULT_MAX_STRING_CHARS)}…[truncated 1234 chars]`);
  });

  test("truncation never splits a surrogate pair", () => {
    const text = `ab${"😀".repeat(5)}`; // each emoji is 2 UTF-16 units
    const out = truncateString(text, 3); // would cut inside the first emoji
    assert.equal(out, `ab…[truncated ${text.length - 2} chars]`);
    assert.doesNotMatch(stringifySafe(out), /\\ud83d/);
  });

  test("nesting deeper than MAX_DEPTH becomes [depth-limit]", () => {
    let deep = { leaf: true };
    for (let i = 0; i < 200; i++) deep = { next: deep };
    let out = roundTrip(deep);
    let levels = 0;
    while (typeof out === "object") {
      out = out.next;
      levels++;
    }
    assert.equal(out, "[depth-limit]");
    assert.equal(levels, MAX_DEPTH);
  });

  test("a huge sparse array is bounded instead of hanging", () => {
    const sparse = [];
    sparse.length = 2 ** 32 - 1;
    const started = Date.now();
    const out = toJsonSafe(sparse);
    assert.ok(Date.now() - started < 5000, "took too long");
    assert.equal(out.length, MAX_NODES);
    assert.equal(out.at(-1), "[size-limit]");
  });
});

describe("omitted keys", () => {
  test("config, cfg and dispatcher are omitted at the top level only", () => {
    const secretConfig = { models: { providers: { openai: { apiKey: "sk-secret" } } } };
    const ctx = { config: secretConfig, cfg: secretConfig, dispatcher: { send() {} }, port: 1 };
    const text = stringifySafe(ctx);
    assert.deepEqual(JSON.parse(text), { config: "[omitted]", cfg: "[omitted]", dispatcher: "[omitted]", port: 1 });
    assert.doesNotMatch(text, /sk-secret/);
    // A tool parameter named "config" is user data.
    assert.deepEqual(roundTrip({ params: { config: { a: 1 } } }), { params: { config: { a: 1 } } });
  });

  test('an own "__proto__" key is kept as data', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    const out = roundTrip(value);
    assert.deepEqual(Object.keys(out), ["__proto__", "ok"]);
    assert.equal({}.polluted, undefined);
  });
});

test("stringifySafe always returns parseable JSON", () => {
  const nasty = [
    undefined,
    null,
    0,
    -0,
    "",
    "\u2028\ud800",
    Symbol.iterator,
    10n ** 30n,
    () => {},
    new Proxy([], {
      get() {
        throw new Error("boom");
      },
    }),
    Object.create(null),
    new (class Weird {
      constructor() {
        this.a = 1;
      }
      get computed() {
        throw new Error("class getters are not own properties");
      }
    })(),
    new WeakMap(),
    globalThis.process,
  ];
  for (const value of nasty) {
    const text = stringifySafe(value);
    assert.equal(typeof text, "string");
    assert.doesNotThrow(() => JSON.parse(text), `not JSON for ${String(typeof value)}`);
  }
});
