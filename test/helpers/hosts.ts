// Real, isolated test hosts for end-to-end tests: each is a network namespace with its own address,
// an sshd on port 22, its own /nix, /root, /tmp, /etc/nix and OpenClaw state dirs (bind mounts in a
// private mount namespace), its own hostname and PID namespace, so a deploy to it never touches the
// machine or another host. The kernel, /usr, /etc (but /etc/nix, /etc/openclaw) and users are shared,
// unless the host is made with users of its own (`users`, `sudoers`, `nixTrustedUsers`): then it has
// private /etc/passwd, group, shadow, hosts, sudoers and /home, and a nix-daemon for its users.
//
//   const hosts = useTestHosts();                 // at file top: registers afterAll(destroy all)
//   let a: TestHost;
//   beforeAll(async () => { a = await hosts.create('alpha'); });
//   describe.skipIf(!hostsAvailable())(…)
//
// Layout on the machine: /var/tmp/clawdeploy-test-hosts/cdt-<pid>-<name>/{root,ssh}. `root/` is what the
// host sees at /nix, /root, … (`rootDir`, for before/after snapshots); `ssh/` holds keys, configs, pid
// and logs. Not under /tmp: inside the host /tmp is its own, and sshd must still read its files.
//
// Nix on the host: a private /etc/nix/nix.conf (bound over the machine's) with sandbox off, flakes on,
// no substituters and an empty flake registry, so the host works offline whatever the machine's
// nix.conf says. The host's store starts empty; nix initialises it on first use.
//
// Cleanup: destroy() kills every process in the namespace (sshd, sessions, gateways a test started),
// deletes it and the files. A crashed run leaves `cdt-<deadpid>-*` namespaces; the next createTestHost in
// any process removes those (never a live process's hosts: other test runs may share the machine).
import { execa } from 'execa';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createSshTransport, type SshTransport } from '../../src/core/transport/ssh.js';
import type { RunOptions, RunResult } from '../../src/core/transport/types.js';

export interface TestHost {
  /** The test's name for the host; also its ssh alias in `sshConfig` and its hostname. */
  readonly name: string;
  /** Its address on the veth pair, e.g. 10.213.7.2 (the machine's end is .1). */
  readonly address: string;
  /** `ssh://root@<address>`: an inventory target (needs `sshConfig` for the key). */
  readonly target: string;
  /** Client ssh_config with `Host <name> <address>` (key, user root, no host-key checks). */
  readonly sshConfig: string;
  /** The host's files on the machine: rootDir/nix is its /nix, rootDir/root its /root, etc. */
  readonly rootDir: string;
  /** The network namespace, for `ip netns exec` when a test needs it. */
  readonly netns: string;
  /** The ssh transport run() uses (one shared connection). */
  readonly transport: SshTransport;
  /** Runs argv on the host over ssh, for assertions. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Writes a file on the host (parent dirs created), mode default 0o644. */
  writeFile(path: string, content: string, mode?: number): Promise<void>;
  /** Stops everything in the namespace and deletes it and its files. Idempotent. */
  destroy(): Promise<void>;
}

export interface TestHostOptions {
  /** ssh ConnectTimeout for `transport` (default 5). */
  connectTimeoutSec?: number;
  /**
   * Users of this host only (uids from 2001, home /home/<name>, the client key authorised): the host
   * gets private copies of /etc/passwd, group and shadow with them added, and a private /home.
   * The machine's own user files are never changed.
   */
  users?: readonly string[];
  /** Lines of the host's private /etc/sudoers (after Debian's defaults and root's rule). */
  sudoers?: readonly string[];
  /**
   * Runs a nix-daemon on the host, root and these users trusted (multi-user Nix, as on NixOS; [] trusts
   * only root): users other than root reach the store through it; root keeps writing it directly.
   */
  nixTrustedUsers?: readonly string[];
}

/** A test host's user: its name and uid (the host's private /etc/passwd has it). */
export interface TestUser {
  readonly name: string;
  readonly uid: number;
  readonly home: string;
}

const BASE = '/var/tmp/clawdeploy-test-hosts';
const PREFIX = 'cdt-';
/** Paths bound per host; the machine gets empty mount points where missing. */
export const HOST_PRIVATE_PATHS = ['/nix', '/root', '/tmp', '/etc/nix', '/run/agenix', '/run/secrets', '/etc/openclaw', '/var/lib/openclaw'] as const;
const NIX_CONF = ['sandbox = false', 'experimental-features = nix-command flakes', 'substituters =', 'flake-registry = /etc/nix/empty-registry.json', ''].join('\n');

let available: boolean | undefined;
/** Root, `ip netns`, unshare and sshd all present: otherwise `describe.skipIf(!hostsAvailable())`. */
export function hostsAvailable(): boolean {
  available ??= process.getuid?.() === 0 && existsSync('/usr/sbin/sshd') && spawnSync('ip', ['netns', 'list']).status === 0 && spawnSync('unshare', ['--version']).status === 0;
  return available;
}

/** Registers afterAll(destroy every host made through it); call at a test file's top level or in a describe. */
export function useTestHosts(): { create(name: string, opts?: TestHostOptions): Promise<TestHost> } {
  const made: TestHost[] = [];
  afterAll(async () => {
    await Promise.all(made.map((h) => h.destroy()));
  });
  return {
    async create(name, opts) {
      const h = await createTestHost(name, opts);
      made.push(h);
      return h;
    },
  };
}

const live = new Map<string, () => void>();
let exitHookInstalled = false;

export async function createTestHost(name: string, opts: TestHostOptions = {}): Promise<TestHost> {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new Error(`test host name '${name}' must match [a-z][a-z0-9-]{0,30}`);
  if (!hostsAvailable()) throw new Error('test hosts need root, ip netns, unshare and /usr/sbin/sshd');
  const netns = `${PREFIX}${process.pid}-${name}`;
  cleanStale(netns);

  const base = join(BASE, netns);
  const rootDir = join(base, 'root');
  const sshDir = join(base, 'ssh');
  for (const p of HOST_PRIVATE_PATHS) {
    mkdirSync(p, { recursive: true }); // mount point on the machine
    mkdirSync(join(rootDir, p), { recursive: true });
  }
  chmodSync(join(rootDir, 'tmp'), 0o1777);
  chmodSync(join(rootDir, 'root'), 0o700);
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation dir
  const trusted = opts.nixTrustedUsers;
  writeFileSync(join(rootDir, 'etc/nix/nix.conf'), NIX_CONF + (trusted ? `trusted-users = ${['root', ...trusted].join(' ')}\n` : ''));
  writeFileSync(join(rootDir, 'etc/nix/empty-registry.json'), '{"flakes":[],"version":2}\n');
  const privatePaths = [...HOST_PRIVATE_PATHS, ...privateUserFiles(rootDir, name, opts)];

  let x: number | undefined;
  let sshd: ReturnType<typeof startSshd> | undefined;
  const teardown = () => teardownSync(netns, x, base);
  live.set(netns, teardown);
  installExitHook();
  try {
    await execa('ip', ['netns', 'add', netns]);
    x = await claimSubnet(name);
    const address = `10.213.${x}.2`;
    await ipAll([
      ['link', 'set', `cdt${x}b`, 'netns', netns],
      ['addr', 'add', `10.213.${x}.1/30`, 'dev', `cdt${x}a`],
      ['link', 'set', `cdt${x}a`, 'up'],
      ['-n', netns, 'addr', 'add', `${address}/30`, 'dev', `cdt${x}b`],
      ['-n', netns, 'link', 'set', `cdt${x}b`, 'up'],
      ['-n', netns, 'link', 'set', 'lo', 'up'],
    ]);

    const key = (f: string) => execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${netns}-${f}`, '-f', join(sshDir, f)]);
    await Promise.all([key('host_ed25519'), key('client_ed25519')]);
    writeFileSync(join(sshDir, 'authorized_keys'), readFileSync(join(sshDir, 'client_ed25519.pub')));
    for (const u of hostUsers(opts)) authorise(rootDir, u, readFileSync(join(sshDir, 'client_ed25519.pub')));
    const sshdConfig = join(sshDir, 'sshd_config');
    writeFileSync(sshdConfig, sshdConfigText(address, sshDir));
    const sshConfig = join(sshDir, 'ssh_config');
    writeFileSync(sshConfig, clientConfigText(name, address, sshDir));

    sshd = startSshd(netns, name, rootDir, sshdConfig, sshDir, privatePaths, trusted !== undefined);
    await waitForPort(address, 22, 5_000, () => readLog(sshDir));
    if (trusted) await waitForFile(join(rootDir, 'nix/var/nix/daemon-socket/socket'), 10_000, () => readLog(sshDir));

    const target = `ssh://root@${address}`;
    const transport = createSshTransport({ target, sshConfig, name, connectTimeoutSec: opts.connectTimeoutSec ?? 5 });
    let destroyed = false;
    const host: TestHost = {
      name,
      address,
      target,
      sshConfig,
      rootDir,
      netns,
      transport,
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
        sshd?.hold();
        await transport.close();
        teardown();
        live.delete(netns);
        // Let node reap its own child (`unshare`) before it may exit: orphans wait long for PID 1 here.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([sshd?.exited, new Promise((r) => (timer = setTimeout(r, 2_000)))]);
        clearTimeout(timer);
      },
    };
    return host;
  } catch (e) {
    teardown();
    live.delete(netns);
    throw e;
  }
}

function sshdConfigText(address: string, sshDir: string): string {
  return [
    'Port 22',
    `ListenAddress ${address}`,
    `HostKey ${sshDir}/host_ed25519`,
    // Inside its own PID namespace sshd is pid 1: a pid file would only say "1".
    'PidFile none',
    // root's key, then a host user's own (sshd reads it as that user, who cannot read sshDir).
    `AuthorizedKeysFile ${sshDir}/authorized_keys .ssh/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PrintMotd no',
    // Many commands share one ControlMaster connection; allow parallel sessions on it.
    'MaxSessions 64',
    'MaxStartups 64',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** The client ssh_config of a test host (netns or nspawn): key auth as root, no host-key checks. */
export function clientConfigText(name: string, address: string, sshDir: string): string {
  return [
    `Host ${name} ${address}`,
    `  HostName ${address}`,
    '  Port 22',
    '  User root',
    `  IdentityFile ${sshDir}/client_ed25519`,
    '  IdentitiesOnly yes',
    '  StrictHostKeyChecking no',
    '  UserKnownHostsFile /dev/null',
    '  LogLevel ERROR',
    '',
  ].join('\n');
}

/**
 * sshd in the network namespace, inside private mount, UTS and PID namespaces: the host's own dirs are
 * bound in, and `ps`/`pkill` on the host see only its own processes (sshd is its pid 1).
 */
function startSshd(netns: string, name: string, rootDir: string, sshdConfig: string, sshDir: string, paths: readonly string[], nixDaemon: boolean): { exited: Promise<void>; hold(): void } {
  // Paths travel as positional arguments, never spliced into the script.
  const script = [
    'set -e',
    'root=$1; cfg=$2; log=$3; name=$4; daemon=$5; dlog=$6; shift 6',
    'for p in "$@"; do mount --bind "$root$p" "$p"; done',
    'hostname "$name"',
    // The daemon is the host's (its /nix, its nix.conf), a child of the host's pid 1 (sshd, below).
    'if [ "$daemon" = 1 ]; then /usr/bin/nix-daemon >>"$dlog" 2>&1 & fi',
    'exec /usr/sbin/sshd -D -f "$cfg" -E "$log"',
  ].join('\n');
  const err = openSync(join(sshDir, 'start.log'), 'a');
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      netns,
      'unshare',
      '-m',
      '--uts',
      '--pid',
      '--fork',
      '--mount-proc',
      '--propagation',
      'private',
      'sh',
      '-c',
      script,
      'sh',
      rootDir,
      sshdConfig,
      join(sshDir, 'sshd.log'),
      name,
      nixDaemon ? '1' : '0',
      join(sshDir, 'nix-daemon.log'),
      ...paths,
    ],
    { detached: true, stdio: ['ignore', err, err] },
  );
  closeSync(err);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start sshd for ${name}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // destroy() waits on this; ref the child again then, or node may exit first and leave a zombie.
  return { exited, hold: () => child.ref() };
}

/** Picks X for 10.213.X.0/30: starts from a hash of name and pid; creating the veth pair is the lock. */
/**
 * Picks X for 10.213.X.0/30 and creates the veth pair cdtXa/cdtXb: creating it is the lock, shared
 * by netns and nspawn hosts. `seed` spreads the starting point (the host's name).
 */
export async function claimSubnet(seed: string): Promise<number> {
  const start = createHash('sha256').update(`${seed}:${process.pid}`).digest().readUInt16BE(0) % 254;
  const used = (await execa('ip', ['-4', '-o', 'addr'])).stdout;
  for (let i = 0; i < 254; i++) {
    const x = ((start + i) % 254) + 1;
    if (used.includes(`inet 10.213.${x}.`)) continue;
    const r = await execa('ip', ['link', 'add', `cdt${x}a`, 'type', 'veth', 'peer', 'name', `cdt${x}b`], { reject: false });
    if (r.exitCode === 0) return x;
  }
  throw new Error('no free 10.213.X.0/30 subnet for a test host');
}

async function ipAll(cmds: string[][]): Promise<void> {
  for (const c of cmds) await execa('ip', c);
}

function waitForPort(host: string, port: number, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd on ${host}:${port} did not start: ${log()}`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

async function waitForFile(path: string, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} did not appear: ${log()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The host's users, uids from 2001 in the order given. */
export function hostUsers(opts: Pick<TestHostOptions, 'users'>): TestUser[] {
  return (opts.users ?? []).map((name, i) => ({ name, uid: 2001 + i, home: `/home/${name}` }));
}

/**
 * The host's private /etc/passwd, group, shadow (the machine's, plus its users), /home, /etc/hosts
 * and /etc/sudoers under rootDir; returns the paths to bind over the machine's (none without users
 * or sudoers).
 */
function privateUserFiles(rootDir: string, hostname: string, opts: TestHostOptions): string[] {
  const users = hostUsers(opts);
  if (!users.length && !opts.sudoers) return [];
  for (const u of users) if (!/^[a-z][a-z0-9-]{0,30}$/.test(u.name)) throw new Error(`test host user '${u.name}' must match [a-z][a-z0-9-]{0,30}`);
  const add = (file: string, lines: string[], mode: number) => {
    const text = readFileSync(file, 'utf8');
    writeFileSync(join(rootDir, file), text + (text.endsWith('\n') ? '' : '\n') + lines.map((l) => `${l}\n`).join(''), { mode });
    chmodSync(join(rootDir, file), mode);
  };
  add(
    '/etc/passwd',
    users.map((u) => `${u.name}:x:${u.uid}:${u.uid}::${u.home}:/bin/sh`),
    0o644,
  );
  add(
    '/etc/group',
    users.map((u) => `${u.name}:x:${u.uid}:`),
    0o644,
  );
  // '*': no password, yet not locked ('!'), so sshd lets the key in.
  add(
    '/etc/shadow',
    users.map((u) => `${u.name}:*:19000:0:99999:7:::`),
    0o600,
  );
  mkdirSync(join(rootDir, 'home'), { recursive: true });
  for (const u of users) {
    mkdirSync(join(rootDir, u.home), { recursive: true, mode: 0o755 });
    chownSync(join(rootDir, u.home), u.uid, u.uid);
  }
  // The host resolves its own name, as a real one does (sudo looks it up, and waits on DNS otherwise).
  add('/etc/hosts', [`127.0.1.1 ${hostname}`], 0o644);
  const paths = ['/etc/hosts', ...(users.length ? ['/home', '/etc/passwd', '/etc/group', '/etc/shadow'] : [])];
  if (opts.sudoers) {
    if (!existsSync('/etc/sudoers')) throw new Error('a test host with sudoers needs sudo installed on the machine (.ci/setup.sh installs it)');
    const sudoers = ['Defaults env_reset', 'Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"', 'root ALL=(ALL:ALL) ALL', ...opts.sudoers, ''];
    writeFileSync(join(rootDir, 'etc/sudoers'), sudoers.join('\n'), { mode: 0o440 });
    chmodSync(join(rootDir, 'etc/sudoers'), 0o440);
    paths.push('/etc/sudoers');
  }
  return paths;
}

/** The client key in the user's own ~/.ssh/authorized_keys (theirs, 0600: sshd reads it as them). */
function authorise(rootDir: string, u: TestUser, key: Buffer): void {
  const dir = join(rootDir, u.home, '.ssh');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'authorized_keys'), key, { mode: 0o600 });
  chownSync(dir, u.uid, u.uid);
  chownSync(join(dir, 'authorized_keys'), u.uid, u.uid);
}

function readLog(sshDir: string): string {
  return ['start.log', 'sshd.log', 'nix-daemon.log']
    .map((f) => (existsSync(join(sshDir, f)) ? readFileSync(join(sshDir, f), 'utf8').trim() : ''))
    .filter(Boolean)
    .join(' | ');
}

/** Kills everything in the namespace, deletes it, its veth and its files. Synchronous so exit hooks can use it. */
function teardownSync(netns: string, x: number | undefined, base: string): void {
  const pids = () =>
    (spawnSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' }).stdout ?? '')
      .split('\n')
      .map(Number)
      .filter((p) => p > 0);
  const signal = (sig: NodeJS.Signals, which: number[]) => {
    for (const p of which) {
      try {
        process.kill(p, sig);
      } catch {
        /* already gone */
      }
    }
  };
  const waitGone = (keep: number[], ms: number) => {
    const deadline = Date.now() + ms;
    while (pids().some((p) => !keep.includes(p)) && Date.now() < deadline) spawnSync('sleep', ['0.02']);
  };
  // Gateways and sessions get a SIGTERM first; then the host's pid 1 (sshd, the child of `unshare`)
  // goes, and with it, by the kernel, whatever is left in its PID namespace.
  const all = pids();
  const unshare = all.filter((p) => procStat(p)?.comm === 'unshare');
  const init = all.filter((p) => unshare.includes(procStat(p)?.ppid ?? -1));
  const keep = [...unshare, ...init];
  signal(
    'SIGTERM',
    all.filter((p) => !keep.includes(p)),
  );
  waitGone(keep, 1_000);
  signal('SIGKILL', init);
  waitGone([], 1_000);
  signal('SIGKILL', pids());
  spawnSync('ip', ['netns', 'del', netns]);
  if (x !== undefined) spawnSync('ip', ['link', 'del', `cdt${x}a`]); // usually gone with the namespace
  rmSync(base, { recursive: true, force: true });
}

function procStat(pid: number): { comm: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(stat.slice(close + 2).split(' ')[1]) };
  } catch {
    return undefined;
  }
}

/** Removes namespaces and dirs of crashed runs (dead pid) and an earlier host of this same name and pid. */
function cleanStale(own: string): void {
  const names = new Set<string>();
  for (const line of (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n')) {
    const n = line.split(' ')[0];
    if (n?.startsWith(PREFIX)) names.add(n);
  }
  if (existsSync(BASE)) for (const n of readdirSync(BASE)) if (n.startsWith(PREFIX)) names.add(n);
  for (const n of names) {
    const pid = Number(n.slice(PREFIX.length).split('-')[0]);
    if (n === own || !(pid > 0) || !alive(pid)) {
      live.get(n)?.();
      live.delete(n);
      const veth = staleVeth(n);
      teardownSync(n, veth, join(BASE, n));
    }
  }
}

/** The machine-side veth of a namespace, found through its peer's ifindex. */
function staleVeth(netns: string): number | undefined {
  const out = spawnSync('ip', ['-n', netns, '-o', 'link'], { encoding: 'utf8' }).stdout ?? '';
  const m = /cdt(\d+)b@/.exec(out);
  return m ? Number(m[1]) : undefined;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test file that forgot destroy() still leaves nothing behind when its worker exits normally.
  process.once('exit', () => {
    for (const t of live.values()) t();
  });
}
