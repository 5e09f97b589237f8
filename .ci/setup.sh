#!/usr/bin/env bash
# Sets up everything clawdeploy and its tests need on a fresh Debian machine:
# Nix, sshd and iproute2 for the test hosts, and the npm dependencies.
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
command -v sudo >/dev/null 2>&1 || need_apt+=(sudo) # the non-root deploy user test hosts

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

# Nix is configured per process (NIX_CONFIG) by the demo and the tests, never in /etc/nix/nix.conf:
# on a user's machine that file is theirs (its binary caches, its registry).

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "clawdeploy setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent
