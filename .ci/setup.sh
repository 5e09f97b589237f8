#!/usr/bin/env bash
# Sets up everything clawdeploy and its tests need on a fresh Debian machine:
# Nix (offline-ready), sshd and iproute2 for the test hosts, and the npm dependencies.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v nix >/dev/null 2>&1 || need_apt+=(nix-bin)
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v ip >/dev/null 2>&1 || need_apt+=(iproute2)
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "clawdeploy setup: missing ${need_apt[*]}; install them (apt-get install ${need_apt[*]}) or run this as root" >&2
    exit 2
  fi
  echo "clawdeploy setup: installing ${need_apt[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Nix offline: flakes on, no binary caches, a local empty registry so that an indirect
# ref fails in milliseconds instead of waiting on the network.
if [ "$(id -u)" = 0 ] && [ -f /etc/nix/nix.conf ]; then
  [ -f /etc/nix/empty-registry.json ] || echo '{"flakes":[],"version":2}' > /etc/nix/empty-registry.json
  grep -q '^experimental-features' /etc/nix/nix.conf || echo 'experimental-features = nix-command flakes' >> /etc/nix/nix.conf
  grep -q '^substituters' /etc/nix/nix.conf || echo 'substituters =' >> /etc/nix/nix.conf
  grep -q '^flake-registry' /etc/nix/nix.conf || echo 'flake-registry = /etc/nix/empty-registry.json' >> /etc/nix/nix.conf
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "clawdeploy setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
