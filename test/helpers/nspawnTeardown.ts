// Teardown for nspawn test hosts (see nspawnHost.ts), synchronous so exit hooks can use it, and
// the cleanup of what crashed runs left: containers, overlay mounts, namespaces, veths, files.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive } from './hosts.js';

export const NSPAWN_BASE = '/var/tmp/clawdeploy-nspawn-hosts';
/** Prefix of every container, netns and directory name: cdn-<owner pid>-<host name>. */
export const NSPAWN_PREFIX = 'cdn-';

/** Where one container's files live; `root` is the overlay mount the container boots from. */
export function nspawnPaths(machine: string) {
  const base = join(NSPAWN_BASE, machine);
  return {
    base,
    upper: join(base, 'upper'),
    work: join(base, 'work'),
    root: join(base, 'root'),
    ssh: join(base, 'ssh'),
    pidFile: join(base, 'nspawn.pid'),
    consoleLog: join(base, 'console.log'),
  };
}

const pause = (s: number) => spawnSync('sleep', [String(s)]);

function procComm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function kill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

function waitGone(alive: () => boolean, ms: number): boolean {
  const deadline = Date.now() + ms;
  while (alive() && Date.now() < deadline) pause(0.05);
  return !alive();
}

function netnsPids(netns: string): number[] {
  return (spawnSync('ip', ['netns', 'pids', netns], { encoding: 'utf8' }).stdout ?? '')
    .split('\n')
    .map(Number)
    .filter((p) => p > 0);
}

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[1] === path);
}

/**
 * Stops the container (SIGTERM asks nspawn to halt it cleanly; SIGKILL after `gracefulMs`), kills
 * whatever is left in its namespace, unmounts the overlay and deletes the namespace, veth and files.
 */
export function teardownNspawnSync(machine: string, veth: number | undefined, gracefulMs = 10_000): void {
  const p = nspawnPaths(machine);
  const pid = existsSync(p.pidFile) ? Number(readFileSync(p.pidFile, 'utf8').trim()) : 0;
  // Only a systemd-nspawn: a pid file of a crashed run may name a reused pid.
  if (pid > 0 && procComm(pid) === 'systemd-nspawn') {
    const alive = () => procComm(pid) === 'systemd-nspawn';
    kill(pid, 'SIGTERM');
    if (!waitGone(alive, gracefulMs)) {
      kill(pid, 'SIGKILL');
      waitGone(alive, 2_000);
    }
  }
  // The container's processes all live in its network namespace.
  for (const q of netnsPids(machine)) kill(q, 'SIGKILL');
  waitGone(() => netnsPids(machine).length > 0, 2_000);
  if (mounted(p.root) && spawnSync('umount', [p.root]).status !== 0) spawnSync('umount', ['-l', p.root]);
  spawnSync('ip', ['netns', 'del', machine]);
  if (veth !== undefined) spawnSync('ip', ['link', 'del', `cdt${veth}a`]); // usually gone with the namespace
  // nspawn's propagation dir; it is left behind when nspawn is killed.
  rmSync(join('/run/systemd/nspawn/propagate', machine), { recursive: true, force: true });
  // Never recurse into a mount that is somehow still there: that would delete through it.
  if (!mounted(p.root)) rmSync(p.base, { recursive: true, force: true });
}

/** The machine-side veth of a namespace, found through its peer's name. */
export function vethOf(netns: string): number | undefined {
  const out = spawnSync('ip', ['-n', netns, '-o', 'link'], { encoding: 'utf8' }).stdout ?? '';
  const m = /cdt(\d+)b@/.exec(out);
  return m ? Number(m[1]) : undefined;
}

/** Tears down containers of dead owners (crashed runs) and an earlier one named `own`; never a live run's. */
export function cleanStaleNspawn(own: string): void {
  const names = new Set<string>();
  for (const line of (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n')) {
    const n = line.split(' ')[0];
    if (n?.startsWith(NSPAWN_PREFIX)) names.add(n);
  }
  if (existsSync(NSPAWN_BASE)) for (const n of readdirSync(NSPAWN_BASE)) if (n.startsWith(NSPAWN_PREFIX)) names.add(n);
  for (const n of names) {
    const owner = Number(n.slice(NSPAWN_PREFIX.length).split('-')[0]);
    if (n === own || !(owner > 0) || !alive(owner)) teardownNspawnSync(n, vethOf(n), 5_000);
  }
}
