// Test support: the one JSON Schema of a spool line (docs/openclaw-spool-line.schema.json in this repository),
// which the bridge's C# tests check every recorded capture against. Here it checks what the plugin writes.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";

const here = path.dirname(fileURLToPath(import.meta.url));

export const SPOOL_LINE_SCHEMA_PATH = path.resolve(here, "../../../docs/openclaw-spool-line.schema.json");

const validate = new Ajv2020({ allErrors: true, strictTypes: false }).compile(
  JSON.parse(fs.readFileSync(SPOOL_LINE_SCHEMA_PATH, "utf8")),
);

/** What the schema says is wrong with one parsed line: `["<path> <message>", ...]`, empty when it is valid. */
export function spoolLineViolations(line) {
  return validate(line) ? [] : validate.errors.map((error) => `${error.instancePath || "/"} ${error.message}`);
}
