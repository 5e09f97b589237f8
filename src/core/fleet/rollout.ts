// A fleet rollout: every selected host reachable first, every host planned (nothing starts if
// one is blocked), then wave by wave: one approval per wave, its hosts deployed in parallel
// through the one deploy service, each validated (gateway and every channel). A host that fails
// is rolled back by its own deploy; the rollout then stops and rolls back the rest of the failed
// wave (with rollbackAll, every wave). Every host's outcome is recorded as it happens.
import type { Goal, Host } from '../inventory/schema.js';
import type { Plan } from '../plan/schema.js';
import type { GenerationRef, Rollout, RolloutHost, RolloutHostOutcome, RolloutOutcome } from '../records/index.js';
import { ExitCode, UserError } from '../errors.js';
import { assertReachable } from '../transport/index.js';
import { transportForHost } from '../transport/forHost.js';
import { hostConnections } from '../transport/shared.js';
import { deployOpened, openDeploy, type HostEvent, type OpenedDeploy, type ServiceDeps } from '../deploy/service.js';
import { rollbackThroughService } from '../deploy/recoveryService.js';
import { staleness } from '../deploy/runbookCheck.js';
import { canaryCount, planWaves, waveTitle, wavesOf, type Wave } from './waves.js';
import type { RolloutLedger } from './rolloutLedger.js';
import { boundedAll } from './bounded.js';
import { assertFleetGoal } from './goal.js';
import { PlanMemo } from '../pipeline/planMemo.js';

export interface RolloutRequest {
  flakeDir: string;
  /** As the user wrote it (`--on`), for the records. */
  selector: string;
  /** The selected hosts, in inventory order. */
  hosts: Host[];
  parallel: number;
  /** Hosts in the canary wave (undefined: those tagged canary, else 1). */
  canary?: number;
  rollbackAll?: boolean;
  skipUnreachable?: boolean;
  /** --yes: staging waves need no question; production never goes without one. */
  preApproved?: boolean;
  redact: (text: string) => string;
  /** A stopped or interrupted rollout to continue (`--resume ROLLOUT`). */
  resume?: Rollout;
  /** A reviewed fleet runbook: its waves, and every host's plan, which a fresh plan must match. */
  reviewed?: { file: string; waves: string[][]; plans: Record<string, Plan> };
  /**
   * --goal: every host deployed with it (each must be NixOS, or nothing starts). Default: each
   * host's inventory goal; a runbook's hosts take the goal they were reviewed with, a resumed
   * rollout's the goals it started with.
   */
  goal?: Goal;
}

export interface WaveApprovalRequest {
  rollout: string;
  wave: Wave;
  waves: number;
  hosts: Array<{ host: Host; plan: Plan }>;
}

export type WaveApprover = (req: WaveApprovalRequest) => Promise<{ approved: boolean; approver: string }>;

export interface FleetDeps extends ServiceDeps {
  rollouts: RolloutLedger;
  approveWave: WaveApprover;
}

export type RolloutEvent =
  | { type: 'reachable'; host: string; ok: boolean; reason?: string }
  | { type: 'planned'; host: string; plan: Plan }
  /** `waves`: every wave of this run, so a view can group hosts by wave before each is asked. */
  | { type: 'wave'; rollout: string; wave: Wave; waves: Wave[]; state: 'asking' | 'running' | 'passed' | 'failed' | 'declined' | 'rolling-back' }
  | { type: 'host'; rollout: string; host: string; wave: number; outcome: RolloutHostOutcome; detail: string | null }
  | { type: 'host-event'; rollout: string; event: HostEvent };

export interface RolloutResult {
  id: string;
  outcome: RolloutOutcome;
  exitCode: ExitCode;
  message: string;
  hosts: RolloutHost[];
}

/** Hosts a rollout is done with: a resume leaves them out, and a wave passes when all of its are. */
const DONE: ReadonlySet<RolloutHostOutcome> = new Set(['succeeded', 'applied-for-next-boot', 'no-change']);
/** Hosts the rollout changed, which a failed wave takes back (a boot default is a change too). */
const CHANGED: ReadonlySet<RolloutHostOutcome> = new Set(['succeeded', 'applied-for-next-boot']);

export async function runRollout(req: RolloutRequest, deps: FleetDeps, on: (e: RolloutEvent) => void = () => undefined): Promise<RolloutResult> {
  // One connection per host for the whole rollout: its reachability, plans, deploy and any
  // rollback borrow it (the watchdog confirm still opens a fresh one).
  const connections = hostConnections({ sshConfig: deps.deploy.sshConfig });
  try {
    return await rollout(req, { ...deps, deploy: { ...deps.deploy, connections } }, on);
  } finally {
    await connections.close();
  }
}

async function rollout(req: RolloutRequest, deps: FleetDeps, on: (e: RolloutEvent) => void): Promise<RolloutResult> {
  const resumed = req.resume;
  // Before anything runs: a goal every selected host must take.
  assertFleetGoal(req.goal, req.hosts);
  /** The goal a host is planned and deployed with (undefined: its inventory's). */
  const goalOf = (name: string): Goal | undefined => (req.reviewed ? (req.reviewed.plans[name]?.goal ?? 'switch') : resumed ? (resumed.options.goals?.[name] ?? req.goal) : req.goal);
  const todo = resumed ? req.hosts.filter((h) => !DONE.has(resumed.hosts.find((x) => x.host === h.name)?.outcome ?? 'pending')) : req.hosts;
  if (req.preApproved && !req.reviewed) {
    const prod = todo.filter((h) => h.environment === 'production').map((h) => h.name);
    if (prod.length) throw new UserError(`--yes pre-approves staging hosts only: ${prod.join(', ')} ${prod.length === 1 ? 'is' : 'are'} production (approve each wave interactively)`);
  }

  // Reachability first: nothing is built, nothing recorded, while a selected host cannot be reached.
  const reach = await boundedAll(todo, req.parallel, async (h) => {
    const t = deps.deploy.connections?.borrow(h) ?? transportForHost(h, { sshConfig: deps.deploy.sshConfig });
    try {
      await assertReachable(t, h.name, 20_000);
      on({ type: 'reachable', host: h.name, ok: true });
      return null;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      on({ type: 'reachable', host: h.name, ok: false, reason });
      return { host: h.name, reason };
    } finally {
      await t.close();
    }
  });
  const unreachable = reach.filter((r): r is { host: string; reason: string } => r !== null);
  if (unreachable.length && !req.skipUnreachable) {
    throw new UserError(`rollout not started, nothing changed: ${unreachable.map((u) => u.reason).join('; ')} (--skip-unreachable leaves such hosts out, recorded)`);
  }
  const reachable = todo.filter((h) => !unreachable.some((u) => u.host === h.name));

  // The flake side of a plan (git, secret scan, build, closure diffs) is the same for every host: once.
  const memo = new PlanMemo();
  // Every host planned before anything changes: one blocked plan stops the rollout before it starts.
  const opened = new Map<string, OpenedDeploy>();
  await boundedAll(reachable, req.parallel, async (h) => {
    const o = await openDeploy(
      {
        memo,
        flakeDir: req.flakeDir,
        hostName: h.name,
        redact: req.redact,
        refuseInterrupted: !resumed,
        resume: Boolean(resumed) && resumed!.hosts.some((x) => x.host === h.name && x.outcome === 'running'),
        goal: goalOf(h.name),
      },
      deps,
    );
    opened.set(h.name, o);
    on({ type: 'planned', host: h.name, plan: o.plan });
  });
  if (req.reviewed) {
    // Exactly as reviewed, or not at all: every host's fresh plan must be the runbook's.
    const problems = reachable.flatMap((h) => {
      const reviewed = req.reviewed!.plans[h.name];
      if (!reviewed) return [`${h.name}: not in the runbook`];
      return staleness(reviewed, opened.get(h.name)!.plan).map((p) => `${h.name}: ${p}`);
    });
    if (problems.length) throw new UserError(`--runbook ${req.reviewed.file}: refused, nothing changed: ${problems.join('; ')}`, ExitCode.blocked);
    for (const h of reachable) opened.set(h.name, { ...opened.get(h.name)!, plan: req.reviewed.plans[h.name]! });
  }
  const blocked = reachable.filter((h) => opened.get(h.name)!.plan.status === 'blocked');
  if (blocked.length) {
    throw new UserError(`rollout not started, nothing changed: the plan of ${blocked.map((h) => h.name).join(', ')} is blocked (see \`clawdeploy plan HOST\`)`, ExitCode.blocked);
  }
  const toDeploy = reachable.filter((h) => opened.get(h.name)!.plan.status === 'ready');
  const unchanged = reachable.filter((h) => opened.get(h.name)!.plan.status === 'no-change');

  let id: string;
  let waves: Wave[];
  if (resumed) {
    id = resumed.id;
    await deps.rollouts.resume(id);
    // The waves as reviewed, minus what is already done.
    waves = wavesOf(resumed.waves, resumed.options.canary > 0)
      .map((w) => ({ ...w, hosts: w.hosts.filter((n) => toDeploy.some((h) => h.name === n)) }))
      .filter((w) => w.hosts.length);
    for (const h of unchanged) await deps.rollouts.setHost(id, h.name, { outcome: 'no-change' });
  } else {
    waves = req.reviewed ? wavesOf(req.reviewed.waves, Boolean(req.canary)) : planWaves(toDeploy, { parallel: req.parallel, ...(req.canary !== undefined ? { canary: req.canary } : {}) });
    const canary = canaryCount(waves);
    const goals = Object.fromEntries(req.hosts.flatMap((h) => (goalOf(h.name) ? [[h.name, goalOf(h.name)!] as const] : [])));
    id = await deps.rollouts.start({
      selector: req.selector,
      flakeDir: req.flakeDir,
      flakeRev: opened.values().next().value?.plan.flake.target.rev ?? null,
      options: { parallel: req.parallel, canary, rollbackAll: Boolean(req.rollbackAll), skipUnreachable: Boolean(req.skipUnreachable), ...(Object.keys(goals).length ? { goals } : {}) },
      waves: waves.map((w) => w.hosts),
      approver: null,
      outside: [...unreachable.map((u) => ({ host: u.host, outcome: 'skipped-unreachable' as const, detail: u.reason })), ...unchanged.map((h) => ({ host: h.name, outcome: 'no-change' as const }))],
    });
  }

  const outcomes = new Map<string, { outcome: RolloutHostOutcome; before: GenerationRef | null; after: GenerationRef | null; wave: number; detail: string | null }>();
  const setHost = async (
    host: string,
    wave: number,
    outcome: RolloutHostOutcome,
    o: { before?: GenerationRef | null; after?: GenerationRef | null; detail?: string | null; deploymentId?: string | null } = {},
  ) => {
    const prev = outcomes.get(host);
    outcomes.set(host, { outcome, wave, before: o.before !== undefined ? o.before : (prev?.before ?? null), after: o.after !== undefined ? o.after : (prev?.after ?? null), detail: o.detail ?? null });
    await deps.rollouts.setHost(id, host, { outcome, ...o });
    on({ type: 'host', rollout: id, host, wave, outcome, detail: o.detail ?? null });
  };
  const hostOf = (name: string) => req.hosts.find((h) => h.name === name)!;
  const finish = async (outcome: RolloutOutcome, exitCode: ExitCode, message: string): Promise<RolloutResult> => {
    await deps.rollouts.finish(id, outcome, message);
    const lost = deps.rollouts.failures();
    const recorded = await deps.rollouts.get(id).catch(() => null);
    return {
      id,
      outcome,
      exitCode: lost.length && exitCode === ExitCode.ok ? ExitCode.failed : exitCode,
      message: lost.length ? `${message}; the local record is incomplete: ${lost.join('; ')}` : message,
      hosts: recorded?.hosts ?? [],
    };
  };

  for (const wave of waves) {
    // A resumed rollout has dropped its finished waves: its count is still the one reviewed.
    const total = resumed ? resumed.waves.length : waves.length;
    const label = waveTitle(wave, total);
    on({ type: 'wave', rollout: id, wave, state: 'asking', waves });
    const approval = await deps.approveWave({ rollout: id, wave, waves: total, hosts: wave.hosts.map((n) => ({ host: hostOf(n), plan: opened.get(n)!.plan })) });
    if (!approval.approved) {
      on({ type: 'wave', rollout: id, wave, state: 'declined', waves });
      return finish('stopped', ExitCode.blocked, `${label} was not approved: the rollout stopped before it; nothing in it changed (\`clawdeploy apply --resume ${id.slice(0, 8)}\` continues)`);
    }
    on({ type: 'wave', rollout: id, wave, state: 'running', waves });
    // The wave was approved as a whole (its exact commands shown): its steps ask no more.
    // The policy still denies what it denies.
    const approvedBy = `${approval.approver} (${wave.label}, rollout ${id.slice(0, 8)})`;
    const waveDeps: ServiceDeps = { ...deps, deploy: { ...deps.deploy, approver: async () => ({ approved: true, approver: approvedBy }) } };
    await boundedAll(wave.hosts, req.parallel, async (name) => {
      const reviewed = opened.get(name)!;
      const before = reviewed.plan.generations.current;
      await setHost(name, wave.index, 'running', { before });
      const forward = (event: HostEvent) => on({ type: 'host-event', rollout: id, event });
      try {
        // Planned again right before its wave: what runs is what was approved, or nothing.
        const fresh = await openDeploy({ memo, flakeDir: req.flakeDir, hostName: name, redact: req.redact, resume: reviewed.interrupted !== null, goal: goalOf(name) }, waveDeps, forward);
        const moved = staleness(reviewed.plan, fresh.plan);
        if (moved.length) return await setHost(name, wave.index, 'refused', { detail: `the host moved since the plan was approved: ${moved.join('; ')}` });
        const r = await deployOpened({ ...fresh, plan: reviewed.plan }, { flakeDir: req.flakeDir, approvedBy, resume: reviewed.interrupted !== null }, waveDeps, forward);
        // The generation the host is on now, as its deploy read it back: the number nix-env made,
        // which is not always the plan's prediction (e.g. higher generations left by a rollback).
        // A `test` deploy makes none: its AFTER is the build it runs, which no generation holds.
        const after = r.outcome === 'succeeded' && reviewed.plan.goal === 'test' ? reviewed.plan.generations.next : r.generationAfter;
        // A `boot` deploy goes through as its boot default, recorded applied-for-next-boot: not running, not validated.
        const outcome: RolloutHostOutcome = r.outcome === 'succeeded' && reviewed.plan.goal === 'boot' ? 'applied-for-next-boot' : r.outcome;
        await setHost(name, wave.index, outcome, { after: after ?? null, detail: r.message, deploymentId: r.deploymentId });
      } catch (e) {
        await setHost(name, wave.index, 'failed', { detail: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
      }
    });
    const failed = wave.hosts.filter((n) => !DONE.has(outcomes.get(n)!.outcome));
    if (!failed.length) {
      on({ type: 'wave', rollout: id, wave, state: 'passed', waves });
      continue;
    }
    on({ type: 'wave', rollout: id, wave, state: 'failed', waves });
    // Stop, and take back what this wave (or, with rollbackAll, the whole rollout) changed.
    const back = [...outcomes.entries()].filter(([, o]) => CHANGED.has(o.outcome) && (req.rollbackAll || o.wave === wave.index)).sort(([, a], [, b]) => b.wave - a.wave);
    if (back.length) on({ type: 'wave', rollout: id, wave, state: 'rolling-back', waves });
    const rollbackDeps: ServiceDeps = { ...deps, deploy: { ...deps.deploy, approver: async () => ({ approved: true, approver: `${approvedBy}: rollback of a failed wave, approved with it` }) } };
    const notBack: string[] = [];
    await boundedAll(back, req.parallel, async ([name, o]) => {
      try {
        const r = await rollbackThroughService({ host: hostOf(name), flakeDir: req.flakeDir, ...(o.before ? { to: o.before.number } : {}) }, rollbackDeps, (event) =>
          on({ type: 'host-event', rollout: id, event }),
        );
        if (r.outcome === 'succeeded') await setHost(name, o.wave, 'reverted', { after: o.before, detail: `rolled back: ${failed.join(', ')} failed in ${wave.label}` });
        else {
          notBack.push(name);
          await setHost(name, o.wave, 'failed', { detail: `the rollback after ${wave.label} failed: ${r.message}` });
        }
      } catch (e) {
        notBack.push(name);
        await setHost(name, o.wave, 'failed', { detail: `the rollback after ${wave.label} failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    });
    for (const later of waves.filter((w) => w.index > wave.index)) for (const n of later.hosts) await setHost(n, later.index, 'not-started');
    const kept = req.rollbackAll ? '' : waves.some((w) => w.index < wave.index) ? '; earlier waves keep the new generation' : '';
    const tail = notBack.length ? `; ${notBack.join(', ')} could not be rolled back: act now (\`clawdeploy rollback HOST\`)` : '';
    return finish(
      'stopped',
      ExitCode.failed,
      `${label} failed on ${failed.join(', ')}: the rollout stopped; ${back.length ? `rolled back ${back.map(([n]) => n).join(', ')}` : 'nothing else to roll back'}${kept}${tail}`,
    );
  }
  const done = [...outcomes.values()].filter((o) => CHANGED.has(o.outcome)).length;
  const nextBoot = [...outcomes.entries()].filter(([, o]) => o.outcome === 'applied-for-next-boot').map(([n]) => n);
  const boot = nextBoot.length ? `; set for the next boot (the new generation is the boot default, not running or validated until a reboot): ${nextBoot.join(', ')}` : '';
  return finish(
    'succeeded',
    ExitCode.ok,
    `rollout ${id.slice(0, 8)} succeeded: ${done} host${done === 1 ? '' : 's'} deployed in ${waves.length} wave${waves.length === 1 ? '' : 's'}${unchanged.length ? `, ${unchanged.length} already current` : ''}${unreachable.length ? `, ${unreachable.length} skipped (unreachable)` : ''}${boot}`,
  );
}
