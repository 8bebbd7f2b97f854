// Redacts what the recorder writes to the spool, with the same rules as the
// .NET runtime, read from the same data: ./redaction-rules.json is a copy of
// src/Instrumentation.Runtime/Redaction/redaction-rules.json (`npm run
// sync-rules` refreshes it, also before `npm pack`; a .NET test checks the two
// are identical), and tests/data/redaction-corpus.json is run by both sides.
//
// Two kinds of rule (docs/redaction.md):
//   secret names  - the value under a key whose words name a secret (apiKey,
//                   API_KEY, x-api-key, connectionString, ...) becomes the
//                   marker at any depth, unless it is a number, boolean or null;
//   secret values - secret-shaped text inside any string (a bearer token, a
//                   provider key, Password= in a connection string, a private
//                   key) becomes the marker; group 1 of each regex is kept.
// The name algorithm mirrors SecretNames.cs line for line; the regexes are
// written in the subset .NET and JavaScript read alike.

import fs from "node:fs";

const RULES = JSON.parse(fs.readFileSync(new URL("./redaction-rules.json", import.meta.url), "utf8"));

export const REDACTED = RULES.marker;

// How far past the string cap a string is scanned, so a secret the cut falls
// inside is still found (the .NET side uses the same margin).
export const REDACTION_OVERLAP_CHARS = 4096;

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;
const DIGIT = /\p{Nd}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** Splits a key into words at case changes, digits and separators (`x-api-key` -> x, api, key). */
export function splitWords(name) {
  const words = [];
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const isPart = i < name.length && LETTER_OR_DIGIT.test(name[i]);
    if (start >= 0 && (!isPart || isBoundary(name, i))) {
      words.push(name.slice(start, i));
      start = -1;
    }
    if (isPart && start < 0) start = i;
  }
  return words;
}

// A word starts at a lower-to-upper change (apiKey), at the last capital of a
// run followed by a lower-case letter (APIKey: API, Key), and where letters and
// digits meet (oauth2Token: oauth, 2, token).
function isBoundary(name, i) {
  const previous = name[i - 1];
  const current = name[i];
  if (DIGIT.test(previous) !== DIGIT.test(current)) return true;
  if (UPPER.test(current) && LOWER.test(previous)) return true;
  return UPPER.test(current) && UPPER.test(previous) && i + 1 < name.length && LOWER.test(name[i + 1]);
}

/**
 * The redaction policy: the built-in rules plus the plugin config's additions.
 * Returns null when redaction is off. Invalid additions are reported in
 * `problems` and left out, never thrown.
 * @param {{enabled?: boolean, secretNames?: string[], secretValuePatterns?: string[]}} [options]
 * @param {string[]} [problems]
 * @returns {{isSecretName: (name: string) => boolean, redactText: (text: string) => string, marker: string} | null}
 */
export function createRedactor(options = {}, problems = []) {
  if (options.enabled === false) return null;
  const joined = new Set();
  for (const name of [...RULES.secretNames, ...(options.secretNames ?? [])]) {
    const words = splitWords(String(name));
    if (words.length > 0) joined.add(words.map((word) => word.toLowerCase()).join(""));
  }
  const maxLength = Math.max(0, ...[...joined].map((name) => name.length));

  const rules = RULES.secretValues.map((rule) => compile(rule.regex, rule.ignoreCase));
  const prefixes = RULES.secretValues.flatMap((rule) => rule.prefixes);
  // Only a filter: case-insensitive for every prefix finds a superset of the .NET side's candidates.
  const prefilter = new RegExp(prefixes.map(escapeRegExp).join("|"), "i");
  const unfiltered = [];
  (options.secretValuePatterns ?? []).forEach((pattern, index) => {
    try {
      unfiltered.push(compile(String(pattern), false));
    } catch (error) {
      problems.push(`redaction.secretValuePatterns[${index}] ('${pattern}') is not a valid regular expression (${error.message}); it is ignored.`);
    }
  });
  const replacement = "$1" + RULES.marker.replaceAll("$", "$$$$");

  function isSecretName(name) {
    if (typeof name !== "string" || name.length === 0 || name.length > 256) return false;
    const words = splitWords(name);
    for (let first = 0; first < words.length; first++) {
      let run = "";
      for (let last = first; last < words.length; last++) {
        run += words[last].toLowerCase();
        if (run.length > maxLength) break;
        if (joined.has(run)) return true;
      }
    }
    return false;
  }

  function redactText(text) {
    if (unfiltered.length === 0 && !prefilter.test(text)) return text;
    let result = text;
    for (const rule of rules) result = result.replace(rule, replacement);
    for (const rule of unfiltered) result = result.replace(rule, replacement);
    return result;
  }

  return { isSecretName, redactText, marker: RULES.marker };
}

/**
 * Redacts a plain JSON value (what JSON.parse returns) as the spool writer does
 * (src/serialize.js): keys at any depth, strings by shape. In a JSON Schema
 * `properties` object an object value under a secret name is a schema and kept.
 */
export function redactJsonValue(value, redactor, schema = false) {
  if (redactor === null) return value;
  if (typeof value === "string") return redactor.redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactJsonValue(item, redactor));
  if (value === null || typeof value !== "object") return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    const isObject = typeof item === "object" && item !== null && !Array.isArray(item);
    if (redactor.isSecretName(key) && !keepsUnderSecretName(item) && !(schema && isObject)) out[key] = redactor.marker;
    else out[key] = redactJsonValue(item, redactor, key === "properties" && isObject);
  }
  return out;
}

/** A count or flag under a secret-like name (tokenCount, passwordRequired) is not the secret. */
export function keepsUnderSecretName(value) {
  return value === null || value === undefined || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint";
}

function compile(pattern, ignoreCase) {
  const flags = ignoreCase ? "gi" : "g";
  const regex = new RegExp(pattern, flags);
  // The replacement keeps group 1: a pattern without groups gets an empty one.
  const groups = new RegExp(`${pattern}|`).exec("").length - 1;
  return groups > 0 ? regex : new RegExp(`()(?:${pattern})`, flags);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
