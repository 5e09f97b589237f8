// clawdeploy's own files on a host, in <profile>.clawdeploy/: the deploy lock, the record of
// the last deploy (so another operator's clawdeploy sees what was deployed and by whom), and
// the watchdog canary. Each is a catalog step, so it goes through the same tool layer.
import { hostname, userInfo } from 'node:os';
import type { Goal, Host } from '../inventory/schema.js';
import type { Step } from '../plan/schema.js';
import { hostStateDir, type ActionContext } from '../plan/catalog.js';
import { makeStep } from '../plan/steps.js';

export const lockPath = (host: Host) => `${hostStateDir(host)}/lock`;
export const recordPath = (host: Host) => `${hostStateDir(host)}/last-deploy.json`;
export const canaryPath = (host: Host) => `${hostStateDir(host)}/watchdog-canary`;

/** Who is deploying, as the lock's owner text: user@machine pid N deployment ID. */
export function lockOwner(deploymentId: string): string {
  return `${safeUser()}@${hostname()} pid ${process.pid} deployment ${deploymentId}`.replace(/[^A-Za-z0-9@:._ -]/g, '_');
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function lockSteps(ctx: ActionContext, deploymentId: string): Step[] {
  const h = ctx.host;
  return [
    makeStep('lock-1', 'state-dir', { path: hostStateDir(h) }, "create clawdeploy's directory beside the profile", ctx),
    makeStep('lock-2', 'lock-host', { path: lockPath(h), owner: lockOwner(deploymentId) }, 'refuse a second concurrent deploy to this host', ctx),
  ];
}

export const readLockStep = (ctx: ActionContext) => makeStep('lock-read', 'read-lock', { path: lockPath(ctx.host) }, 'who holds the lock', ctx);
export const unlockStep = (ctx: ActionContext) => makeStep('unlock', 'unlock-host', { path: lockPath(ctx.host) }, 'release the deploy lock', ctx);

export interface HostRecord {
  deploymentId: string;
  host: string;
  operation: 'apply' | 'rollback' | 'drill';
  outcome: string;
  flakeRev: string | null;
  dirty: boolean;
  planHash: string | null;
  generation: { number: number; storePath: string } | null;
  /** The deploy's goal when not switch (NixOS). */
  goal?: Goal;
  /** Goal test: the build left running, never a generation of the profile. */
  tested?: string;
  by: string;
  machine: string;
  at: string;
}

export function hostRecordStep(ctx: ActionContext, record: HostRecord): Step {
  return makeStep('record', 'write-host-file', { path: recordPath(ctx.host), content: `${JSON.stringify(record, null, 2)}\n` }, 'leave a record on the host for other operators', ctx);
}

export const readRecordStep = (ctx: ActionContext) => makeStep('record-read', 'read-host-file', { path: recordPath(ctx.host) }, 'what was deployed last, and by whom', ctx);

/** Written by the watchdog when it fires: the canary moved there, then when it reverted and how that went. */
export const firedPath = (host: Host) => `${hostStateDir(host)}/watchdog-fired`;

/** How long the host waits for the confirm unless the deploy says otherwise. */
export const DEFAULT_WATCHDOG_SECONDS = 120;

/** What the canary says, so a status or another operator sees whose watchdog it is and when it fires. */
export interface WatchdogArmed {
  deploymentId: string | null;
  /** The generation the host returns to unless confirmed. */
  revertTo: number;
  armedAt: string;
  /** When the host starts returning on its own (it counts the seconds by its own clock). */
  deadline: string;
  by: string;
}

export function watchdogArmed(generation: number, seconds: number, deploymentId: string | null, now = new Date()): WatchdogArmed {
  return {
    deploymentId,
    revertTo: generation,
    armedAt: now.toISOString(),
    deadline: new Date(now.getTime() + seconds * 1000).toISOString(),
    by: lockOwner(deploymentId ?? 'none'),
  };
}

/** Arms the watchdog: the canary must exist before the watchdog starts (it exits otherwise). */
export function watchdogSteps(ctx: ActionContext, generation: number, seconds: number, armed = watchdogArmed(generation, seconds, null), goal?: 'test'): Step[] {
  const h = ctx.host;
  return [
    makeStep('watchdog-1', 'write-host-file', { path: canaryPath(h), content: `${JSON.stringify(armed)}\n` }, 'the canary the watchdog waits on', ctx),
    makeStep(
      'watchdog-2',
      'arm-watchdog',
      { profile: h.profile, generation, canary: canaryPath(h), seconds, ...(goal ? { goal } : {}) },
      `if this connection is lost, the host returns to generation ${generation} on its own within ${seconds} s`,
      ctx,
    ),
  ];
}

export const confirmStep = (ctx: ActionContext) =>
  makeStep('watchdog-confirm', 'confirm-watchdog', { canary: canaryPath(ctx.host) }, 'confirm over a fresh connection that the host is still reachable', ctx);

export function recordBy(approver: string | null): string {
  return approver ?? safeUser();
}
