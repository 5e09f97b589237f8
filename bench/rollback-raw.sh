#!/usr/bin/env bash
# The raw way to recover a Home Manager host: nix-env --rollback, activate, then poll every 0.1 s
# until the same checks clawdeploy validates pass (gateway RPC, health, /healthz, /readyz, every
# channel "works"; health OK is not enough, nix-openclaw #84). Args: PROFILE PORT; the host's HOME.
set -u
PROFILE=$1 PORT=$2
OC="$PROFILE/home-path/bin/openclaw"
nix-env --profile "$PROFILE" --rollback 2>/dev/null
"$PROFILE/activate" >/dev/null
for _ in $(seq 1 600); do
  if "$OC" gateway status --json --require-rpc --port "$PORT" >/dev/null 2>&1 &&
     "$OC" gateway health --json --port "$PORT" >/dev/null 2>&1 &&
     curl -fsS --max-time 2 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 &&
     curl -fsS --max-time 2 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 &&
     "$OC" channels status --probe --json --port "$PORT" 2>/dev/null | grep -q '"works"'; then
    exit 0
  fi
  sleep 0.1
done
exit 1
