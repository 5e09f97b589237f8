#!/usr/bin/env bash
# Sets up the "real systemd" e2e tier (test/e2e/systemdNspawn.test.ts): systemd-nspawn and
# debootstrap from apt, and a Debian bookworm rootfs that test/helpers/nspawnHost.ts boots with
# real systemd (sshd, dbus, logind, a lingering user manager for root, Nix 2.8).
#
#   CLAWDEPLOY_NSPAWN_DIR   where (default /var/cache/clawdeploy/nspawn); the rootfs is $DIR/bookworm-rootfs
# Kept between runs: built into a temp dir, marked with .complete, then renamed, so an
# interrupted build is redone. Touches nothing of the machine's own /etc. Root only.
# Prints timings on stderr and the rootfs path on stdout.
set -euo pipefail
# Bump when the package list or the files written below change: the cached rootfs is then rebuilt.
ROOTFS_VERSION=2
# debootstrap's resolver only handles a small base; the rest comes from apt inside the rootfs.
BASE_PACKAGES=systemd,systemd-sysv,dbus
PACKAGES="dbus-user-session libpam-systemd systemd-container nix-bin openssh-server curl iproute2 procps libstdc++6"
MIRROR=http://deb.debian.org/debian

base=${CLAWDEPLOY_NSPAWN_DIR:-/var/cache/clawdeploy/nspawn}
rootfs="$base/bookworm-rootfs"
say() { echo "clawdeploy nspawn setup: $*" >&2; }
t0=$SECONDS

if [ "$(cat "$rootfs/.complete" 2>/dev/null)" = "version=$ROOTFS_VERSION" ]; then
  say "rootfs ready at $rootfs ($((SECONDS - t0)) s)"
  echo "$rootfs"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  # Not an error: the tier is then skipped (outside CI), as the netns hosts are without root.
  say "skipped: needs root (apt-get, debootstrap, systemd-nspawn)"
  exit 0
fi

need=()
command -v systemd-nspawn >/dev/null 2>&1 || need+=(systemd-container)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]} with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  say "apt: $((SECONDS - t0)) s"
fi

mkdir -p "$base"
tmp="$base/bookworm-rootfs.partial.$$"
rm -rf "$base"/bookworm-rootfs.partial.*
trap 'rm -rf "$tmp"' EXIT
t1=$SECONDS
log="$base/build.log"
fail() { cp "$tmp/debootstrap/debootstrap.log" "$base/debootstrap.log" 2>/dev/null || true; tail -20 "$log" >&2; say "$1 failed (log: $log)"; exit 1; }
# Downloaded .debs are kept (most of the time is the download): a rebuild after a change here is quick.
mkdir -p "$base/debs/debootstrap" "$base/debs/apt"
debootstrap --variant=minbase --cache-dir="$base/debs/debootstrap" --include="$BASE_PACKAGES" bookworm "$tmp" "$MIRROR" >"$log" 2>&1 || fail debootstrap
say "debootstrap: $((SECONDS - t1)) s"
t1=$SECONDS
# --keep-unit --register=no: the machine's PID 1 is not systemd (no system bus to register with).
# Only deb.debian.org is contacted; policy-rc.d keeps package scripts from starting services.
printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d" && chmod +x "$tmp/usr/sbin/policy-rc.d"
systemd-nspawn -q -D "$tmp" --register=no --keep-unit --pipe --bind="$base/debs/apt:/var/cache/apt/archives" /bin/sh -c \
  "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES" >>"$log" 2>&1 \
  || fail "apt-get in the rootfs"
rm -f "$tmp/usr/sbin/policy-rc.d"
say "packages: $((SECONDS - t1)) s"

# The container's own files (never the machine's /etc).
mkdir -p "$tmp/etc/nix"
cat > "$tmp/etc/nix/nix.conf" <<'EOF'
# Offline: no sandbox (builders use /bin/sh), flakes on, no binary caches, an empty registry.
sandbox = false
experimental-features = nix-command flakes
substituters =
flake-registry = /etc/nix/empty-registry.json
EOF
echo '{"flakes":[],"version":2}' > "$tmp/etc/nix/empty-registry.json"
# Each container gets an empty /nix: nix initialises its store on first use.
rm -rf "${tmp:?}/nix" && mkdir -p "$tmp/nix"

cat > "$tmp/etc/ssh/sshd_config.d/clawdeploy.conf" <<'EOF'
# One host key, written per container by test/helpers/nspawnHost.ts (else made at first start).
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
# Many commands share one ControlMaster connection; allow parallel sessions on it.
MaxSessions 64
MaxStartups 64
EOF
# Host keys are per container, never shared through the cache; an RSA key would cost seconds per boot.
rm -f "$tmp"/etc/ssh/ssh_host_*
mkdir -p "$tmp/etc/systemd/system/ssh.service.d"
cat > "$tmp/etc/systemd/system/ssh.service.d/keygen.conf" <<'EOF'
[Service]
ExecStartPre=
ExecStartPre=/bin/sh -c 'test -f /etc/ssh/ssh_host_ed25519_key || exec /usr/bin/ssh-keygen -q -t ed25519 -N "" -f /etc/ssh/ssh_host_ed25519_key'
ExecStartPre=/usr/sbin/sshd -t
EOF

# A lingering user manager for root (what `loginctl enable-linger root` records), started at boot.
mkdir -p "$tmp/var/lib/systemd/linger"
touch "$tmp/var/lib/systemd/linger/root"
# Nothing in a test container needs these; they only slow the boot down or fail without hardware.
for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
  ln -sf /dev/null "$tmp/etc/systemd/system/$u"
done
echo nspawn-host > "$tmp/etc/hostname"
: > "$tmp/etc/machine-id"
rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*

echo "version=$ROOTFS_VERSION" > "$tmp/.complete"
rm -rf "$rootfs"
mv "$tmp" "$rootfs"
trap - EXIT
say "rootfs built at $rootfs ($(du -sm "$rootfs" | cut -f1) MB, $((SECONDS - t0)) s in all)"
echo "$rootfs"
