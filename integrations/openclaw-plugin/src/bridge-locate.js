// Finds the `openclaw-bridge` command: a configured command first, then the
// PATH, then the folder `dotnet tool install -g` puts tools in
// (~/.dotnet/tools), which is often not on the gateway's PATH (services and
// launchd agents start with a short PATH).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const BRIDGE_PROGRAM = "openclaw-bridge";
export const BRIDGE_PACKAGE = "Instrumentation.Agents.OpenClawBridge";
export const INSTALL_HINT =
  `install it with \`dotnet tool install -g ${BRIDGE_PACKAGE}\` (needs the .NET 10 SDK), ` +
  "or set plugins.entries.mlflow-trace-recorder.config.bridgeCommand to the command that runs it";

/**
 * @param {string[]|undefined} configured  program + leading arguments, from the plugin config
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{command: string[], source: "config"|"PATH"|"dotnet-tools"}|{command: undefined, searched: string[]}}
 */
export function locateBridge(configured, env = process.env) {
  if (configured) return { command: configured, source: "config" };
  const names = process.platform === "win32" ? [`${BRIDGE_PROGRAM}.exe`, `${BRIDGE_PROGRAM}.cmd`] : [BRIDGE_PROGRAM];
  const searched = [];
  for (const dir of (env.PATH ?? env.Path ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return { command: [candidate], source: "PATH" };
    }
  }
  searched.push("PATH");
  // OpenClaw may run with HOME pointing at its own home; the .NET tools are in the user's.
  const homes = new Set([env.HOME, env.USERPROFILE, safeHomedir()].filter((home) => typeof home === "string" && home !== ""));
  for (const home of homes) {
    const dir = path.join(home, ".dotnet", "tools");
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return { command: [candidate], source: "dotnet-tools" };
    }
    searched.push(dir);
  }
  return { command: undefined, searched };
}

function isExecutable(file) {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function safeHomedir() {
  try {
    return os.homedir();
  } catch {
    return undefined;
  }
}
