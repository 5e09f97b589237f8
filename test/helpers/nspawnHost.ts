// Test hosts with real systemd: a systemd-nspawn container booted from the cached Debian rootfs
// (.ci/setup-nspawn.sh) with systemd as its PID 1, dbus, logind and a lingering user manager for
// root, sshd, and Nix with its own empty /nix. Same interface as hosts.ts's TestHost, so clawdeploy's
// ssh transport, `nix copy` and the e2e helpers work on it unchanged.
//
//   const hosts = useNspawnHosts();              // at file top: registers afterAll(destroy all)
//   describe.skipIf(!nspawnAvailable())(…)
//   const h = await hosts.create('alpha');       // booted: ssh answers, systemd running, user@0 active
//
// Each container: an overlay (the cached rootfs below, a private upper dir) mounted at
// /var/tmp/clawdeploy-nspawn-hosts/cdn-<pid>-<name>/root (`rootDir`), a network namespace
// `cdn-<pid>-<name>` with 10.213.X.2/30 on a veth (the machine's end is .1, as hosts.ts), ssh as root
// with a per-container key. The machine's /usr/bin/node (the stand-in CLI's interpreter) and the
// real OpenClaw install are bound read-only at the same paths. The machine's PID 1 is not systemd:
// nspawn runs with --keep-unit --register=no.
//
// Cleanup: destroy() halts the container cleanly (SIGTERM to nspawn; SIGKILL if it hangs), then
// unmounts and deletes everything. A crashed run's containers are torn down by the next create.
import { execa } from 'execa';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSshTransport } from '../../src/core/transport/ssh.js';
import { claimSubnet, clientConfigText, type TestHost } from './hosts.js';
import { cleanStaleNspawn, NSPAWN_PREFIX, nspawnPaths, teardownNspawnSync } from './nspawnTeardown.js';

export const NSPAWN_ROOTFS = process.env['CLAWDEPLOY_NSPAWN_DIR'] ? join(process.env['CLAWDEPLOY_NSPAWN_DIR'], 'bookworm-rootfs') : '/var/cache/clawdeploy/nspawn/bookworm-rootfs';
const REAL_OPENCLAW_CACHE = '/var/cache/clawdeploy/real-openclaw';
/** Machine paths bound read-only into every container at the same path (when they exist). */
const READ_ONLY_BINDS = ['/usr/bin/node', REAL_OPENCLAW_CACHE];

export interface NspawnHost extends TestHost {
  /** The container's machine name, also its network namespace. */
  readonly machine: string;
  /** The container's console (systemd's boot messages), for failure messages. */
  readonly consoleLog: string;
  /** Milliseconds from starting nspawn to a finished boot with ssh answering. */
  readonly bootMs: number;
}

export interface NspawnHostOptions {
  /** ssh ConnectTimeout for `transport` (default 5). */
  connectTimeoutSec?: number;
  /** Deadline for the boot (default 90 s). */
  bootTimeoutMs?: number;
}

let available: boolean | undefined;
/** Root, systemd-nspawn, ip netns and the built rootfs: otherwise `describe.skipIf(!nspawnAvailable())`. */
export function nspawnAvailable(): boolean {
  available ??= process.getuid?.() === 0 && existsSync(join(NSPAWN_ROOTFS, '.complete')) && spawnSync('systemd-nspawn', ['--version']).status === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
  return available;
}

/**
 * For describe.skipIf: the tier cannot run here and this is not CI. CI builds the rootfs (`npm
 * test` runs .ci/setup-nspawn.sh), so there a missing tier is a failure, never a skip.
 */
export function skipNspawn(): boolean {
  return !nspawnAvailable() && !process.env['CI'];
}

/** Registers afterAll(destroy every host made through it); call at a test file's top level or in a describe. */
export function useNspawnHosts(): { create(name: string, opts?: NspawnHostOptions): Promise<NspawnHost> } {
  const made: NspawnHost[] = [];
  afterAll(async () => {
    await Promise.all(made.map((h) => h.destroy()));
  });
  return {
    async create(name, opts) {
      if (!nspawnAvailable()) throw new Error('the systemd-nspawn tier is not set up here: run bash .ci/setup-nspawn.sh as root');
      const h = await createNspawnHost(name, opts);
      made.push(h);
      return h;
    },
  };
}

const live = new Map<string, () => void>();
let exitHookInstalled = false;

export async function createNspawnHost(name: string, opts: NspawnHostOptions = {}): Promise<NspawnHost> {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new Error(`nspawn host name '${name}' must match [a-z][a-z0-9-]{0,30}`);
  if (!nspawnAvailable()) throw new Error(`nspawn hosts need root, systemd-nspawn, ip netns and ${NSPAWN_ROOTFS} (bash .ci/setup-nspawn.sh)`);
  const machine = `${NSPAWN_PREFIX}${process.pid}-${name}`;
  cleanStaleNspawn(machine);
  const p = nspawnPaths(machine);
  for (const d of [p.upper, p.work, p.root]) mkdirSync(d, { recursive: true });
  mkdirSync(p.ssh, { recursive: true, mode: 0o700 });

  let veth: number | undefined;
  let nspawn: ReturnType<typeof startNspawn> | undefined;
  const teardown = () => teardownNspawnSync(machine, veth);
  live.set(machine, teardown);
  installExitHook();
  try {
    await execa('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${NSPAWN_ROOTFS},upperdir=${p.upper},workdir=${p.work}`, p.root]);
    await execa('ip', ['netns', 'add', machine]);
    veth = await claimSubnet(`nspawn:${name}`);
    const address = `10.213.${veth}.2`;
    for (const c of [
      ['link', 'set', `cdt${veth}b`, 'netns', machine],
      ['addr', 'add', `10.213.${veth}.1/30`, 'dev', `cdt${veth}a`],
      ['link', 'set', `cdt${veth}a`, 'up'],
      ['-n', machine, 'addr', 'add', `${address}/30`, 'dev', `cdt${veth}b`],
      ['-n', machine, 'link', 'set', `cdt${veth}b`, 'up'],
      ['-n', machine, 'link', 'set', 'lo', 'up'],
    ])
      await execa('ip', c);

    await writeIdentity(machine, name, p);
    const sshConfig = join(p.ssh, 'ssh_config');
    writeFileSync(sshConfig, clientConfigText(name, address, p.ssh));

    const started = Date.now();
    nspawn = startNspawn(machine, p);
    await waitBooted(name, sshConfig, nspawn, opts.bootTimeoutMs ?? 90_000, p.consoleLog);
    const bootMs = Date.now() - started;

    const target = `ssh://root@${address}`;
    const transport = createSshTransport({ target, sshConfig, name, connectTimeoutSec: opts.connectTimeoutSec ?? 5 });
    let destroyed = false;
    const host: NspawnHost = {
      name,
      address,
      target,
      sshConfig,
      rootDir: p.root,
      netns: machine,
      transport,
      machine,
      consoleLog: p.consoleLog,
      bootMs,
      run: (argv, options) => transport.run(argv, options),
      async writeFile(path, content, mode = 0o644) {
        // The file is private until chmod, so a secret is never briefly world-readable.
        const script = 'mkdir -p -- "$(dirname -- "$1")" && (umask 077 && cat > "$1") && chmod "$2" "$1"';
        const r = await transport.run(['sh', '-c', script, 'sh', path, mode.toString(8)], { input: content });
        if (r.exitCode !== 0) throw new Error(`writeFile ${path} on ${name}: ${r.stderr.trim()}`);
      },
      async destroy() {
        if (destroyed) return;
        destroyed = true;
        await transport.close();
        await nspawn?.halt(20_000);
        teardown();
        live.delete(machine);
      },
    };
    return host;
  } catch (e) {
    await nspawn?.halt(5_000);
    teardown();
    live.delete(machine);
    throw e;
  }
}

/** Per-container ssh keys (client and host), authorized_keys and hostname, written into the overlay. */
async function writeIdentity(machine: string, name: string, p: ReturnType<typeof nspawnPaths>): Promise<void> {
  const key = (f: string) => execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${machine}-${f}`, '-f', join(p.ssh, f)]);
  await Promise.all([key('host_ed25519'), key('client_ed25519')]);
  const sshDir = join(p.root, 'root/.ssh');
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(sshDir, 'authorized_keys'), readFileSync(join(p.ssh, 'client_ed25519.pub')), { mode: 0o600 });
  const hostKey = join(p.root, 'etc/ssh/ssh_host_ed25519_key');
  copyFileSync(join(p.ssh, 'host_ed25519'), hostKey);
  chmodSync(hostKey, 0o600);
  copyFileSync(join(p.ssh, 'host_ed25519.pub'), `${hostKey}.pub`);
  writeFileSync(join(p.root, 'etc/hostname'), `${name}\n`);
}

interface Nspawn {
  hasExited(): boolean;
  /** SIGTERM (a clean halt of the container); waits up to `ms` for nspawn to exit. */
  halt(ms: number): Promise<void>;
}

function startNspawn(machine: string, p: ReturnType<typeof nspawnPaths>): Nspawn {
  const binds = READ_ONLY_BINDS.filter((b) => existsSync(b)).map((b) => `--bind-ro=${b}`);
  const out = openSync(p.consoleLog, 'a');
  const child = spawn(
    'systemd-nspawn',
    [
      '--quiet',
      '--boot',
      `--directory=${p.root}`,
      `--machine=${machine}`,
      // No systemd on the machine: no unit of our own, nothing to register with.
      '--keep-unit',
      '--register=no',
      `--network-namespace-path=/run/netns/${machine}`,
      // Nothing of the machine's own: its journal dir and /etc stay untouched.
      '--link-journal=no',
      '--resolv-conf=off',
      '--timezone=off',
      '--console=pipe',
      ...binds,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start systemd-nspawn for ${machine}`);
  writeFileSync(p.pidFile, `${child.pid}\n`);
  // Unref'd so a forgotten destroy() does not keep the worker alive (the exit hook tears it down).
  child.unref();
  let done = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      done = true;
      resolve();
    });
  });
  return {
    hasExited: () => done,
    async halt(ms) {
      if (done) return;
      child.ref(); // reap it ourselves, or it lingers as a zombie
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    },
  };
}

/** Until ssh answers, the boot has finished (running or degraded) and root's user manager is up. */
async function waitBooted(name: string, sshConfig: string, nspawn: Nspawn, timeoutMs: number, consoleLog: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (nspawn.hasExited()) throw new Error(`container ${name} exited while booting:\n${tail(consoleLog)}`);
    const r = await execa('ssh', ['-F', sshConfig, '-oBatchMode=yes', '-oConnectTimeout=2', name, 'systemctl is-system-running; systemctl is-active user@0.service'], {
      reject: false,
      timeout: 10_000,
    });
    const [system, user] = r.stdout.split('\n');
    if ((system === 'running' || system === 'degraded') && user === 'active') return;
    last = r.stdout.trim() || r.stderr.trim();
    if (Date.now() > deadline) throw new Error(`container ${name} did not boot in ${timeoutMs} ms (last: ${last}):\n${tail(consoleLog)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '';
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test file that forgot destroy() still leaves nothing behind when its worker exits normally.
  process.once('exit', () => {
    for (const t of live.values()) t();
  });
}
