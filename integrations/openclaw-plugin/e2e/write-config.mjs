// Writes the isolated OpenClaw config of the end-to-end run.
// Usage: node write-config.mjs <config.json> <mock-port> <gateway-port> <workspace> <plugin-dir> <tracking-uri> <experiment-id> <bridge.dll>

import fs from "node:fs";

const [file, mockPort, gatewayPort, workspace, pluginDir, trackingUri, experimentId, bridgeDll] = process.argv.slice(2);
const token = process.env.OPENCLAW_GATEWAY_TOKEN;
const model = (id, name, cost, extra = {}) => ({
  id, name, reasoning: false, input: ["text"], cost, contextWindow: 128000, maxTokens: 4096, ...extra,
});

const config = {
  update: { checkOnStart: false },
  telemetry: { enabled: false },
  models: {
    mode: "merge",
    providers: {
      mock: {
        baseUrl: `http://127.0.0.1:${mockPort}/v1`, apiKey: "mock-key-not-secret", api: "openai-completions", timeoutSeconds: 30,
        models: [model("mock-model", "Mock Model", { input: 1, output: 2, cacheRead: 0.1, cacheWrite: 1.25 },
          { compat: { supportsUsageInStreaming: true, supportsTools: true } })],
      },
      mockant: {
        baseUrl: `http://127.0.0.1:${mockPort}`, apiKey: "mock-key-not-secret", api: "anthropic-messages", timeoutSeconds: 30,
        models: [model("claude-mock", "Claude Mock", { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 })],
      },
    },
  },
  agents: { defaults: { model: { primary: "mock/mock-model" }, workspace, heartbeat: { every: "0m" } } },
  plugins: {
    enabled: true,
    load: { paths: [pluginDir] },
    entries: {
      "mlflow-trace-recorder": {
        enabled: true,
        hooks: { allowConversationAccess: true },
        config: { trackingUri, experimentId, bridgeCommand: ["dotnet", bridgeDll] },
      },
      bonjour: { enabled: false },
    },
  },
  tools: { toolSearch: false },
  gateway: { mode: "local", bind: "loopback", port: Number(gatewayPort), auth: { mode: "token", token } },
  discovery: { mdns: { mode: "off" } },
};
fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
