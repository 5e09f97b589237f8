#!/usr/bin/env bash
# The raw nix, git and ssh commands that `clawdeploy plan` runs for a Home Manager host over ssh,
# as a plain script run by a careful admin would (one shared ssh connection). bench/plan.ts runs
# it side by side with clawdeploy. Args: FLAKE DEST SSH_CONFIG PROFILE PORT CURRENT_GEN; HM_APPLY in env.
set -u
FLAKE=$1 DEST=$2 SSHCFG=$3 PROFILE=$4 PORT=$5 CURRENT=$6
X=(--extra-experimental-features 'nix-command flakes')
CP="$(mktemp -d)/cm"
OPTS=(-F "$SSHCFG" -o BatchMode=yes -o ControlMaster=auto -o "ControlPath=$CP" -o ControlPersist=30)
r() { ssh "${OPTS[@]}" "$DEST" -- "$@"; }
{
  git -C "$FLAKE" rev-parse HEAD; git -C "$FLAKE" status --porcelain; git -C "$FLAKE" ls-files -z
  git -C "$FLAKE" show HEAD:flake.lock; git -C "$FLAKE" ls-tree -r HEAD
  for f in $(git -C "$FLAKE" ls-tree -r --name-only HEAD); do git -C "$FLAKE" show "HEAD:$f"; done
  nix "${X[@]}" eval --json "$FLAKE#clawdeploy" --apply 'x: builtins.hasAttr "hosts" x'
  nix "${X[@]}" eval --json "$FLAKE#clawdeploy.hosts"
  nix "${X[@]}" eval --json "$FLAKE#deploy" --apply 'x: builtins.hasAttr "nodes" x' 2>/dev/null
  nix "${X[@]}" eval --json "$FLAKE#homeConfigurations.staging.config" --apply "$HM_APPLY"
  r true; r nix-env --version; r nix-env --profile "$PROFILE" --list-generations
  r readlink -f "$PROFILE-1-link"
  for s in openclaw-gateway-token anthropic telegram-staging; do r test -r "/run/agenix/$s"; done
  r "$PROFILE/home-path/bin/openclaw" gateway status --json --port "$PORT"
  r cat "$PROFILE/home-files/.openclaw/openclaw.json"
  r printenv HOME
  r sha256sum -- /root/.openclaw/openclaw.json "$CURRENT/home-files/.openclaw/openclaw.json"
  r readlink -f "$PROFILE/home-path/bin/openclaw"; r readlink -f "$PROFILE/home-path/bin/openclaw"
  NEW=$(nix "${X[@]}" build --no-link --json "$FLAKE#homeConfigurations.staging.activationPackage" | sed -E 's/.*"out":"([^"]+)".*/\1/')
  cat "$NEW/home-files/.openclaw/openclaw.json"
  NIX_SSHOPTS="${OPTS[*]}" nix "${X[@]}" copy --no-check-sigs --from "ssh://$DEST" "$CURRENT"
  nix "${X[@]}" store diff-closures "$CURRENT" "$NEW"
  ssh "${OPTS[@]}" -O exit "$DEST" 2>/dev/null
} > /dev/null
