// The host's watchdog as clawdeploy sees it: armed (the canary holds whose it is and when it
// fires), fired (the watchdog moved the canary to watchdog-fired and wrote when it reverted and
// how that went), or neither. Reading and wording only; watchdogFlow.ts acts on it.
import type { Host } from '../inventory/schema.js';
import type { Transport } from '../transport/types.js';
import { makeStep } from '../plan/steps.js';
import { asProfileUser } from '../plan/runAs.js';
import { canaryPath, firedPath, recordPath, type WatchdogArmed } from './hostFiles.js';
import type { Runner } from './runner.js';

/** The canary's details; fields a canary does not carry (one written by an older clawdeploy) are null. */
export type ArmedInfo = { [K in keyof WatchdogArmed]: WatchdogArmed[K] | null };

export interface FiredInfo {
  /** The canary it took: whose watchdog it was. */
  armed: ArmedInfo;
  /** When it started returning the host (the host's clock). */
  firedAt: string | null;
  /** The switch and activation, once finished: their exit code (0: the host is back). */
  done: { exitCode: number; at: string } | null;
}

export interface WatchdogView {
  /** A canary exists: a watchdog waits for the confirm (or did, on a host restarted since). */
  armed: ArmedInfo | null;
  /** The last revert a watchdog did on this host, if any. */
  fired: FiredInfo | null;
}

/** Reads one of clawdeploy's files on the host: its text, null when it does not exist; throws when the host cannot be asked. */
export type HostFileReader = (path: string) => Promise<string | null>;

export async function readWatchdog(read: HostFileReader, host: Host): Promise<WatchdogView> {
  const [canary, fired] = await Promise.all([read(canaryPath(host)), read(firedPath(host))]);
  return { armed: canary === null ? null : parseArmed(canary), fired: fired === null ? null : parseFired(fired) };
}

/** When the host's record (last-deploy.json) was written, if there is one. */
export async function readRecordAt(read: HostFileReader, host: Host): Promise<string | null> {
  const text = await read(recordPath(host));
  try {
    const at: unknown = text === null ? null : (JSON.parse(text) as { at?: unknown }).at;
    return typeof at === 'string' ? at : null;
  } catch {
    return null;
  }
}

/** Through the tool layer (read-host-file): for the deploy flow. */
export function runnerReader(runner: Runner): HostFileReader {
  return async (path) => {
    const o = await runner.run(makeStep('watchdog-read', 'read-host-file', { path }, "read the watchdog's state", runner.exec.actionCtx), 'bookkeeping');
    if (o.status === 'ok') return o.stdout;
    // cat ran and found nothing; anything else (no exit code: the host was not reached) is not "absent".
    if (o.status === 'failed' && /No such file/i.test(o.stderr)) return null;
    throw new Error(`cannot read ${path} on host '${runner.exec.host.name}': ${o.reason ?? o.status}`);
  };
}

/** Straight over a transport, as the other read-only host state is read (status). */
export function transportReader(t: Transport, host: Host): HostFileReader {
  return async (path) => {
    const r = await t.run(asProfileUser(host, ['cat', path]), { timeoutMs: 15_000 });
    if (r.exitCode === 0) return r.stdout;
    if (/No such file/i.test(r.stderr)) return null;
    throw new Error(`cannot read ${path} on host '${host.name}': exit ${r.exitCode}`);
  };
}

export function parseArmed(text: string): ArmedInfo {
  let o: Record<string, unknown> = {};
  try {
    const v: unknown = JSON.parse(text.split('\n')[0] ?? '');
    if (v && typeof v === 'object') o = v as Record<string, unknown>;
  } catch {
    // An older canary ("armed"): a watchdog, details unknown.
  }
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : null);
  const revertTo = typeof o['revertTo'] === 'number' && Number.isInteger(o['revertTo']) ? (o['revertTo'] as number) : null;
  return { deploymentId: str('deploymentId'), revertTo, armedAt: str('armedAt'), deadline: str('deadline'), by: str('by') };
}

/** The fired file: the canary's line, then `fired <time>`, then `done <exit> <time>`. */
export function parseFired(text: string): FiredInfo {
  const lines = text.split('\n');
  const fired = lines.map((l) => /^fired (\S+)$/.exec(l.trim())).find(Boolean);
  const done = lines.map((l) => /^done (\d+) (\S+)$/.exec(l.trim())).find(Boolean);
  return {
    armed: parseArmed(text),
    firedAt: fired?.[1] ?? null,
    done: done ? { exitCode: Number(done[1]), at: done[2]! } : null,
  };
}

/** A watchdog that should have fired this long ago and has not is not running (the host restarted?). */
export const OVERDUE_MS = 60_000;

export function isOverdue(armed: ArmedInfo, now = new Date()): boolean {
  return armed.deadline !== null && now.getTime() > Date.parse(armed.deadline) + OVERDUE_MS;
}

/**
 * A revert the next command must report: one no record on the host accounts for, i.e. the host's
 * record (`last-deploy.json`, its `at`) is older than the revert, or missing.
 */
export function isUnreported(fired: FiredInfo, recordAt: string | null): boolean {
  if (recordAt === null || fired.firedAt === null) return true;
  return Date.parse(recordAt) < Date.parse(fired.firedAt);
}

const short = (id: string | null) => (id ? `deployment ${id.slice(0, 8)}` : 'an earlier deployment');
const gen = (n: number | null) => (n === null ? 'its previous generation' : `generation ${n}`);
/** "2026-03-01 18:20:05 UTC": what a person reads and a test parses. */
export const clock = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** What an armed watchdog will do, as one sentence (no trailing period). */
export function describeArmed(a: ArmedInfo, host: string, now = new Date()): string {
  if (a.deadline === null) return `a watchdog of ${short(a.deploymentId)} is armed on ${host}: it returns the host to ${gen(a.revertTo)} unless confirmed`;
  if (isOverdue(a, now)) {
    return `the watchdog of ${short(a.deploymentId)} was to return ${host} to ${gen(a.revertTo)} at ${clock(a.deadline)} and has not: it is no longer running (did the host restart?), so nothing reverts the host on its own`;
  }
  const left = Math.max(0, Math.round((Date.parse(a.deadline) - now.getTime()) / 1000));
  return `the watchdog of ${short(a.deploymentId)} returns ${host} to ${gen(a.revertTo)} at ${clock(a.deadline)} (in ${left} s) unless confirmed`;
}

/** What a watchdog did, as one sentence (no trailing period). */
export function describeFired(f: FiredInfo, host: string): string {
  const when = f.firedAt ? ` at ${clock(f.firedAt)}` : '';
  const who = `${short(f.armed.deploymentId)} was never confirmed`;
  if (f.done === null) return `${who}: its watchdog is returning ${host} to ${gen(f.armed.revertTo)} (started${when || ' earlier'})`;
  if (f.done.exitCode !== 0) return `${who}: its watchdog tried to return ${host} to ${gen(f.armed.revertTo)}${when}, but the switch or activation exited ${f.done.exitCode}`;
  return `${who}: its watchdog returned ${host} to ${gen(f.armed.revertTo)}${when}`;
}

export interface WatchdogReport {
  state: 'armed' | 'overdue' | 'reverting' | 'reverted' | 'revert-failed';
  deploymentId: string | null;
  revertTo: number | null;
  deadline: string | null;
  firedAt: string | null;
  message: string;
}

/** What `status` says about the watchdog: an armed one, else a revert no record accounts for yet. */
export function watchdogReport(v: WatchdogView, recordAt: string | null, host: string, now = new Date()): WatchdogReport | null {
  if (v.armed) {
    const a = v.armed;
    return { state: isOverdue(a, now) ? 'overdue' : 'armed', deploymentId: a.deploymentId, revertTo: a.revertTo, deadline: a.deadline, firedAt: null, message: describeArmed(a, host, now) };
  }
  const f = v.fired;
  if (!f || !isUnreported(f, recordAt)) return null;
  const state = f.done === null ? 'reverting' : f.done.exitCode === 0 ? 'reverted' : 'revert-failed';
  return { state, deploymentId: f.armed.deploymentId, revertTo: f.armed.revertTo, deadline: f.armed.deadline, firedAt: f.firedAt, message: describeFired(f, host) };
}
