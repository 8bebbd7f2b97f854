// Copies the redaction rules from the .NET runtime, their one source
// (src/Instrumentation.Runtime/Redaction/redaction-rules.json), next to the
// code that reads them, so the published package carries them. Run by
// `npm run sync-rules` and before `npm pack`; a .NET test fails when the copy
// and the source differ.
import fs from "node:fs";

const source = new URL("../../../src/Instrumentation.Runtime/Redaction/redaction-rules.json", import.meta.url);
const target = new URL("../src/redaction-rules.json", import.meta.url);
if (!fs.existsSync(source)) {
  console.error(`sync-rules: ${source.pathname} not found; run it from the repository checkout.`);
  process.exit(1);
}
fs.copyFileSync(source, target);
console.log(`sync-rules: ${target.pathname} updated`);
