// The apply flow: plan -> gates -> lock -> apply steps (each asks) -> validate with retries and a
// deadline -> promote, or roll back on our own and verify -> record. A rolled-back deploy exits
// non-zero (deploy-rs can exit 0 after a rollback; we never do).
import type { Host } from '../inventory/schema.js';
import type { Plan, GenerationRef, Step } from '../plan/schema.js';
import type { Approver, ExecContext, ExecEvent, AuditLog, CheckResult, StepOutcome } from '../exec/types.js';
import type { Redactor } from '../redact/index.js';
import type { Transport } from '../transport/types.js';
import type { HostUnreachableError } from '../transport/ssh.js';
import { transportForHost } from '../transport/index.js';
import type { HostConnections } from '../transport/shared.js';
import { watchLink } from '../transport/linkWatch.js';
import { runValidation } from '../exec/validate.js';
import { ExitCode } from '../errors.js';
import type { Ledger } from './ledger.js';
import { createRunner, StepFailed, type Runner } from './runner.js';
import { confirmStep, hostRecordStep, lockSteps, readLockStep, unlockStep, watchdogSteps, recordBy, watchdogArmed, DEFAULT_WATCHDOG_SECONDS, type WatchdogArmed } from './hostFiles.js';
import { confirmOrFollow } from './watchdogFlow.js';
import { hostname } from 'node:os';
import { isProcessAlive } from '../records/index.js';
import { gatewayLogCause } from './logCause.js';
import { WriteFailures, guardedAudit, guardedLedger, unrecordedNote } from './guardedRecords.js';
import { restoreProfile, unitRunner } from './switchUnit.js';
import { currentGenerationNumber } from './profileGeneration.js';
import { afterLostSwitch } from './lostSwitch.js';
import { behaviourOf } from '../plan/behaviour.js';

export interface DeployDeps {
  ledger: Ledger;
  audit: AuditLog;
  redactor: Redactor;
  approver: Approver;
  sshConfig?: string;
  /** A rollout's connections (transport/shared.ts): the deploy borrows its host's instead of opening one. */
  connections?: HostConnections;
  onEvent?: (event: DeployEvent) => void;
  /** Validation retries: period and overall deadline (finite by default). */
  validation?: { periodMs?: number; deadlineMs?: number };
  /** How long the host waits for the confirm before reverting on its own (ssh hosts). */
  watchdogSeconds?: number;
}

export type DeployEvent =
  | ExecEvent
  | { type: 'phase'; phase: 'lock' | 'apply' | 'validate' | 'rollback' | 'verify' | 'confirm' | 'record'; message: string }
  | { type: 'validation'; attempt: number; results: CheckResult[]; /** The checks, in the order of the results. */ steps: Step[] };

export interface DeployResult {
  deploymentId: string | null;
  outcome: 'succeeded' | 'rolled-back' | 'failed' | 'blocked' | 'refused' | 'no-change';
  exitCode: ExitCode;
  message: string;
  failedCheck?: string;
  health?: CheckResult[];
  /**
   * The profile's generation once the deploy is over, as the host has it: after a switch the
   * number nix-env made, read back (not the plan's prediction), with the store path it holds; after
   * a rollback (or when nothing changed) the previous one; null when it is not known (a lost link,
   * a failed rollback) or none was made (goal `test`, whose build runs outside the profile).
   */
  generationAfter?: GenerationRef | null;
}

export function openTransports(host: Host, sshConfig?: string, connections?: HostConnections): { transport: Transport; fresh: () => Transport } {
  return {
    // Named after the inventory's host, so a lost connection says which host it was.
    transport: connections?.borrow(host) ?? transportForHost(host, { sshConfig }),
    // A new connection (its own control socket): the watchdog confirm must prove a fresh login works.
    fresh: () => transportForHost(host, { sshConfig }),
  };
}

export function execContext(host: Host, transport: Transport, fresh: () => Transport, flakeDir: string, deps: DeployDeps, deploymentId: string | null): ExecContext {
  return {
    host,
    environment: host.environment,
    transport,
    actionCtx: { host, storeUrl: transport.storeUrl, flakeDir },
    approver: deps.approver,
    audit: deps.audit,
    redactor: deps.redactor,
    deploymentId,
    freshTransport: fresh,
    onEvent: deps.onEvent,
  };
}

/**
 * Takes the host's deploy lock; a held lock is a one-line refusal naming its owner. A lock left by
 * a clawdeploy of this machine whose process is gone (kill -9) is stale and taken over.
 */
export async function takeLock(runner: Runner, deploymentId: string): Promise<{ ok: true; tookOver?: string } | { ok: false; owner: string }> {
  const [dir, lock] = lockSteps(runner.exec.actionCtx, deploymentId);
  await runner.must(dir!, 'bookkeeping');
  if ((await runner.run(lock!, 'bookkeeping')).status === 'ok') return { ok: true };
  const read = await runner.run(readLockStep(runner.exec.actionCtx), 'bookkeeping');
  const owner = read.status === 'ok' ? read.stdout.trim() : 'unknown (the lock exists but cannot be read)';
  if (!isStaleOwner(owner)) return { ok: false, owner };
  await runner.must(unlockStep(runner.exec.actionCtx), 'bookkeeping');
  if ((await runner.run(lock!, 'bookkeeping')).status === 'ok') return { ok: true, tookOver: owner };
  return { ok: false, owner };
}

/** "user@machine pid N deployment ID": stale when it is this machine and that process is gone. */
export function isStaleOwner(owner: string): boolean {
  const m = owner.match(/^[^@]*@(\S+) pid (\d+) /);
  return Boolean(m && m[1] === hostname() && !isProcessAlive(Number(m[2])));
}

export async function releaseLock(runner: Runner): Promise<void> {
  await runner.run(unlockStep(runner.exec.actionCtx), 'bookkeeping').catch(() => undefined);
}

/**
 * Validation with retries; every attempt's results reach the ledger and the UI. A link to the host
 * lost meanwhile stops it at once (`aborted` says so): no check can pass before the deadline.
 */
export async function validate(runner: Runner, steps: Step[], deps: DeployDeps, ledger: Ledger, deploymentId: string, startedAt?: number) {
  // Attempts come every 50 ms while a gateway restarts: the records keep an attempt when its
  // results differ from the last one kept, and always the last attempt.
  // runValidation calls onAttempt without waiting for it, and a write must never hold a check
  // back: the writes are chained, in the order they were made, and all awaited before returning.
  let writes: Promise<void> = Promise.resolve();
  const writeErrors: unknown[] = [];
  const record = (attempt: number, results: CheckResult[]) => {
    const rows = results.map((r, i) => ({ check: steps[i]?.action ?? `check-${i}`, ok: r.ok, detail: r.summary, attempt }));
    // Caught at once, never an unhandled rejection while validation runs; thrown once it is over.
    writes = writes.then(() => ledger.health(deploymentId, rows)).catch((e: unknown) => void writeErrors.push(e));
  };
  const seen = { signature: '', unrecorded: null as { attempt: number; results: CheckResult[] } | null };
  const link = watchLink(runner.exec.transport);
  const result = await runValidation(steps, runner.exec, {
    ...(deps.validation?.periodMs !== undefined ? { periodMs: deps.validation.periodMs } : {}),
    ...(deps.validation?.deadlineMs !== undefined ? { deadlineMs: deps.validation.deadlineMs } : {}),
    ...(startedAt !== undefined ? { startedAt } : {}),
    signal: link.signal,
    onAttempt: (attempt: number, results: CheckResult[]) => {
      deps.onEvent?.({ type: 'validation', attempt, results, steps });
      const signature = JSON.stringify(results.map((r) => [r.ok, r.summary]));
      if (signature === seen.signature) seen.unrecorded = { attempt, results };
      else {
        record(attempt, results);
        seen.signature = signature;
        seen.unrecorded = null;
      }
    },
  })
    .finally(() => link.stop())
    // A validation that throws still lets the writes it made land first, in their order.
    .catch(async (e: unknown) => {
      await writes;
      throw e;
    });
  if (seen.unrecorded) record(seen.unrecorded.attempt, seen.unrecorded.results);
  await writes;
  // Only a ledger that is not guarded gets here: guardedLedger's writes never reject.
  if (writeErrors.length) throw writeErrors[0];
  const lost = link.signal.reason as Partial<HostUnreachableError> | undefined;
  // Said as what it is: the host was not found unhealthy, it could not be asked.
  return result.aborted ? { ...result, aborted: `lost the connection to ${runner.exec.host.name} (${lost?.reason ?? result.aborted})` } : result;
}

/** The automatic rollback was shown in the plan and approved with it: its steps need no new question. */
export function approvedWithPlan(approver: string): Approver {
  return async () => ({ approved: true, approver: `${approver} (automatic rollback, approved with the plan)` });
}

export interface ApplyInput {
  plan: Plan;
  host: Host;
  flakeDir: string;
  /** Who approved the plan as a whole ("--yes", "runbook:<hash>", or the interactive user). */
  approvedBy: string;
}

export async function applyPlan(input: ApplyInput, deps: DeployDeps): Promise<DeployResult> {
  const { plan, host } = input;
  // This machine's records never interrupt a deploy: a failed write is kept and said at the end.
  const failures = new WriteFailures();
  const ledger = guardedLedger(deps.ledger, failures);
  deps = { ...deps, ledger, audit: guardedAudit(deps.audit, failures) };
  const emit = (phase: Extract<DeployEvent, { type: 'phase' }>['phase'], message: string) => deps.onEvent?.({ type: 'phase', phase, message });
  const current = plan.generations.current;
  const next = plan.generations.next;
  const goal = plan.goal ?? 'switch';
  // Planning ran all of a dry-activate (its answer is in the plan): there is nothing to apply.
  if (goal === 'dry-activate') return { deploymentId: null, outcome: 'no-change', exitCode: ExitCode.ok, message: `dry-activate: nothing was changed on ${host.name}`, generationAfter: current };
  const deploymentId = await ledger.start({
    host: host.name,
    environment: host.environment,
    target: host.target,
    kind: host.kind,
    operation: 'apply',
    flakeDir: input.flakeDir,
    flakeRev: plan.flake.target.rev,
    dirty: plan.flake.target.dirty,
    lockHash: plan.flake.lockHash,
    planHash: plan.hash,
    generationBefore: current,
    approver: input.approvedBy,
  });
  // Nothing has touched the host yet: a deploy that cannot be recorded does not start.
  if (failures.any) return { deploymentId: null, outcome: 'refused', exitCode: ExitCode.failed, message: `the local record could not be written: ${failures.summary()}; nothing on the host changed` };
  const { transport, fresh } = openTransports(host, deps.sshConfig, deps.connections);
  const runner = createRunner(execContext(host, transport, fresh, input.flakeDir, deps, deploymentId), ledger, deploymentId);
  /** Why a step found the link to the host lost, until something acts on it. */
  let lostLink: string | null = null;
  const offLost = transport.onLinkLost?.((e) => (lostLink = e.reason));
  /** The lost link not acted on yet (null: none), forgotten once taken. */
  const takeLost = (): string | null => {
    const why = lostLink;
    lostLink = null;
    return why;
  };
  // Setting the profile and activating it are asked for once, as one unit (switchUnit.ts).
  const setProfile = plan.steps.apply.find((s) => behaviourOf(s).switchesProfile);
  const activation = plan.steps.apply.find((s) => behaviourOf(s).activates);
  const applying = setProfile && activation ? unitRunner(runner, setProfile, activation) : runner;
  let locked = false;
  let mutated = false;
  let watchdog = false;
  /** The watchdog this deploy armed: whose, back to which generation, and when it fires. */
  let armed: WatchdogArmed | null = null;
  /** When the last activation started: the validation deadline counts from there. */
  let activatedAt: number | undefined;
  let activatedWall: Date | undefined;
  /** The generation the profile was set to, as the host numbers it. */
  let madeGeneration: number | null = null;
  /** Whether the record on the host was written (null: not tried). */
  let hostRecord: boolean | null = null;
  /** Records the end; awaited (`return await finish`) so it is written before the lock is released. */
  const finish = async (
    outcome: Parameters<Ledger['finish']>[1],
    message: string,
    exitCode: ExitCode,
    extra: { generationAfter?: GenerationRef | null; failedCheck?: string; health?: CheckResult[] } = {},
  ): Promise<DeployResult> => {
    await ledger.finish(deploymentId, outcome, { generationAfter: extra.generationAfter ?? null, failedCheck: extra.failedCheck ?? null });
    // Said once the host is safe; a deploy whose records were lost never exits 0.
    const lost = unrecordedNote(failures, {
      generation: extra.generationAfter?.number ?? (mutated ? null : (current?.number ?? null)),
      healthy: outcome === 'succeeded' || outcome === 'rolled-back' || outcome === 'applied-for-next-boot',
      hostRecord,
    });
    return {
      deploymentId,
      // Recorded as applied-for-next-boot; to its callers (a rollout) it went through.
      outcome: outcome === 'interrupted' ? 'failed' : outcome === 'applied-for-next-boot' ? 'succeeded' : outcome,
      exitCode: lost && exitCode === ExitCode.ok ? ExitCode.failed : exitCode,
      message: lost ? `${message}; ${lost}` : message,
      failedCheck: extra.failedCheck,
      health: extra.health,
      // Not said by the step that ended it: where it was, as long as nothing on the host changed.
      generationAfter: extra.generationAfter !== undefined ? extra.generationAfter : mutated ? null : current,
    };
  };

  try {
    emit('lock', `locking ${host.name}`);
    const lock = await takeLock(runner, deploymentId);
    if (!lock.ok)
      return await finish(
        'refused',
        `host '${host.name}' is locked by another deploy (${lock.owner}); wait for it, or remove ${lockSteps(runner.exec.actionCtx, deploymentId)[1]!.args['path']} if that deploy is gone`,
        ExitCode.badInput,
      );
    locked = true;

    emit('apply', `applying ${plan.steps.apply.length} steps`);
    for (const step of plan.steps.apply) {
      const does = behaviourOf(step);
      // boot runs nothing now: no activation can cut the link, so there is nothing to watch.
      if (does.activates && transport.storeUrl && current && goal !== 'boot') {
        // CLAWDEPLOY_WATCHDOG_SECONDS, else the host's confirmTimeout (deploy-rs's), else the default.
        const seconds = deps.watchdogSeconds ?? host.confirmTimeoutSec ?? DEFAULT_WATCHDOG_SECONDS;
        armed = watchdogArmed(current.number, seconds, deploymentId);
        // Set first: an arming cut short (a lost link) may have started the watchdog all the same.
        watchdog = true;
        // After a test the profile never moved: the host re-activates its generation with test too.
        for (const w of watchdogSteps(runner.exec.actionCtx, current.number, seconds, armed, goal === 'test' ? 'test' : undefined)) await runner.must(w, 'bookkeeping');
      }
      if (does.activates) {
        activatedAt = performance.now();
        activatedWall = new Date();
      }
      // The host is about to change: a deploy whose records already fail stops here, cleanly.
      if (does.switchesProfile && failures.any) return await finish('failed', `stopped before ${step.action}: nothing on the host changed`, ExitCode.failed);
      takeLost();
      const outcome = await applying.run(step, 'apply');
      if (outcome.status !== 'ok') {
        // The switch may have run on the host all the same: look instead of saying "nothing changed".
        const lost = does.switchesProfile ? takeLost() : null;
        if (lost) return await lostSwitch(lost);
        // An activation that ran and failed changed the host, profile or not (goal test).
        if (!mutated && !(does.activates && outcome.status === 'failed')) {
          const declined = outcome.status === 'declined' || outcome.status === 'denied' || outcome.status === 'refused';
          return await finish(
            declined ? 'refused' : 'failed',
            `${step.action} ${outcome.status}: ${outcome.reason ?? 'see the output above'}; nothing on the host changed`,
            declined ? ExitCode.blocked : ExitCode.failed,
          );
        }
        // An activation that never ran: the profile goes back, nothing restarts.
        if (does.activates && outcome.status !== 'failed' && current) return await putBack(current, outcome);
        return await rollBack(`${step.action} ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`);
      }
      if (does.changesGeneration) mutated = true;
      // The number nix-env gave it, read back: with generations above the current one (after a
      // rollback) it is not current + 1.
      if (does.switchesProfile) madeGeneration = await currentGenerationNumber(runner);
    }

    // boot: the running gateway is still the old generation, so there is nothing to validate.
    if (goal === 'boot') return await appliedForNextBoot();

    emit('validate', 'validating the gateway and every channel');
    takeLost();
    const v = await validate(runner, plan.steps.validate, deps, ledger, deploymentId, activatedAt);
    // A lost link: straight to the watchdog (when it reverts, reconnecting, what the host runs).
    if (v.aborted) return await rollBack(`validation: ${v.aborted}`);
    if (!v.ok) {
      // The check that failed, then the gateway's own words for it (its log since activation).
      const cause = await gatewayLogCause(runner, activatedWall ?? new Date(0));
      return await rollBack(`${v.failing ? `${v.failing.step.action}: ${v.failing.check.summary}` : 'validation failed'}${cause ? `; gateway log: ${cause}` : ''}`);
    }

    if (watchdog) {
      emit('confirm', 'confirming over a fresh connection');
      const unconfirmed = await takeBackWatchdog('confirm', null);
      if (unconfirmed) return unconfirmed;
    }
    emit('record', 'recording the deployment');
    if (goal === 'test') {
      // Not a generation: the profile (the boot default) is where a reboot or a rollback returns.
      await writeHostRecord('succeeded', null, next?.storePath);
      const stays = current ? `generation ${current.number} stays the boot default` : `${host.profile} has no generation, so a reboot does not start it`;
      return await finish('succeeded', `tested ${host.name}: ${next?.storePath ?? 'the new build'} is active and healthy; ${stays}`, ExitCode.ok, { generationAfter: null, health: v.results });
    }
    const after = next && { number: madeGeneration ?? next.number, storePath: next.storePath };
    await writeHostRecord('succeeded', after ?? null);
    return await finish('succeeded', `deployed ${host.name}: generation ${after?.number ?? '?'} is healthy`, ExitCode.ok, { generationAfter: after ?? null, health: v.results });
  } catch (e) {
    if (e instanceof StepFailed && mutated) return await rollBack(e.message);
    await ledger.finish(deploymentId, 'failed', { failedCheck: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    offLost?.();
    if (locked) await releaseLock(runner);
    await transport.close();
  }

  async function appliedForNextBoot(): Promise<DeployResult> {
    const after = next && { number: madeGeneration ?? next.number, storePath: next.storePath };
    emit('record', 'recording the deployment (applied for the next boot)');
    await writeHostRecord('applied-for-next-boot', after ?? null);
    return finish(
      'applied-for-next-boot',
      `${host.name}: generation ${after?.number ?? '?'} is the boot default; nothing restarted, the gateway runs it after the next reboot (not validated: the running gateway is still generation ${current?.number ?? 'none'})`,
      ExitCode.ok,
      { generationAfter: after ?? null },
    );
  }

  async function lostSwitch(why: string): Promise<DeployResult> {
    const reason = `set-profile: lost the connection to ${host.name} (${why})`;
    const s = await afterLostSwitch(runner, current, next ?? { number: (current?.number ?? 0) + 1 }, why, (m) => emit('rollback', m), input.approvedBy);
    // Unknown (never reconnected, or not put back): no generation is claimed for the host.
    mutated = !s.ok;
    return finish('failed', s.said, ExitCode.failed, { generationAfter: s.generation, failedCheck: reason });
  }

  async function putBack(previous: GenerationRef, outcome: StepOutcome): Promise<DeployResult> {
    const reason = `activate ${outcome.status}: ${outcome.reason ?? 'not approved'}`;
    emit('rollback', `${reason}: putting the profile back to generation ${previous.number}`);
    // Disarm first: the watchdog would switch and re-activate on its own.
    const settled = await takeBackWatchdog('rollback', reason);
    if (settled) return settled;
    const back = await restoreProfile(runner, previous, outcome.status === 'failed', 'rollback', input.approvedBy);
    if (!back.ok) return finish('failed', `${reason}; ${back.said}`, ExitCode.failed, { failedCheck: reason });
    mutated = false;
    return finish('refused', `${reason}; ${back.said}`, ExitCode.blocked, { generationAfter: previous, failedCheck: reason });
  }

  async function rollBack(reason: string): Promise<DeployResult> {
    emit('rollback', `rolling back: ${reason}`);
    // Disarm first, so the host's watchdog and this rollback do not both switch generations.
    const settled = await takeBackWatchdog('rollback', reason);
    if (settled) return settled;
    if (!current || !plan.steps.rollback.length) {
      return finish('failed', `deploy failed (${reason}) and there is no previous generation to return to: the host is left on the new generation; fix forward`, ExitCode.failed, {
        failedCheck: reason,
      });
    }
    const auto = runner.withApprover(approvedWithPlan(input.approvedBy));
    const switchSteps = plan.steps.rollback.filter((s) => behaviourOf(s).changesGeneration);
    for (const s of switchSteps) {
      if (behaviourOf(s).activates) activatedAt = performance.now();
      const o = await auto.run(s, 'rollback');
      if (o.status !== 'ok')
        return finish('failed', `deploy failed (${reason}) and the rollback failed too at ${s.action}: ${o.reason ?? o.stderr.trim()}; act now: clawdeploy rollback ${host.name}`, ExitCode.failed, {
          failedCheck: reason,
        });
    }
    return verifyAfter(reason, 'rolled-back');
  }

  /**
   * Confirms (or, before a rollback, disarms) the watchdog over a fresh connection, following the
   * host when the link is lost. A result when the deploy cannot go on: the watchdog reverted the
   * host (verified), or the host never answered again (said, nothing guessed).
   */
  async function takeBackWatchdog(phase: 'confirm' | 'rollback', reason: string | null): Promise<DeployResult | null> {
    if (!watchdog || !armed) return null;
    watchdog = false;
    // A link a step already found lost: no confirm is tried over it before the host answers again.
    const s = await confirmOrFollow(runner, armed, (m) => emit(phase, m), takeLost() ?? undefined);
    if (s.kind === 'confirmed') return null;
    if (s.kind === 'fired') return await verifyAfter(reason ?? 'the watchdog reverted the host before the confirm arrived', 'watchdog-fired');
    return finish('failed', reason ? `deploy failed (${reason}); ${s.message}` : s.message, ExitCode.failed, { failedCheck: reason ?? s.message });
  }

  async function verifyAfter(reason: string, how: 'rolled-back' | 'watchdog-fired'): Promise<DeployResult> {
    if (how === 'watchdog-fired') {
      // What the host runs now, read back rather than assumed from what its watchdog was told.
      const runs = await currentGenerationNumber(runner);
      if (runs !== current?.number) {
        await writeHostRecord('reverted-by-watchdog', null);
        return finish(
          'failed',
          `deploy failed (${reason}); its watchdog fired, but the host's profile is at generation ${runs ?? 'unknown'}, not ${current?.number}; act now: clawdeploy rollback ${host.name}`,
          ExitCode.failed,
          { failedCheck: reason },
        );
      }
    }
    const verifySteps = plan.steps.rollback.filter((s) => !behaviourOf(s).changesGeneration);
    if (!verifySteps.length) {
      // Goal boot: the rollback only made the previous generation the boot default again; nothing restarted.
      await writeHostRecord('rolled-back', current);
      return finish('rolled-back', `deploy failed (${reason}); generation ${current?.number} is the boot default again (nothing restarted)`, ExitCode.failed, {
        failedCheck: reason,
        generationAfter: current,
      });
    }
    emit('verify', `verifying generation ${current?.number} again`);
    const v = await validate(runner, verifySteps, deps, ledger, deploymentId, how === 'rolled-back' ? activatedAt : undefined);
    await writeHostRecord(how === 'watchdog-fired' ? 'reverted-by-watchdog' : 'rolled-back', current);
    const what = how === 'watchdog-fired' ? 'the host reverted itself (its watchdog)' : 'rolled back';
    if (v.aborted) {
      return finish(
        'failed',
        `deploy failed (${reason}); ${what} to generation ${current?.number}, but it could not be verified: ${v.aborted}; once it answers: clawdeploy status ${host.name}`,
        ExitCode.failed,
        {
          failedCheck: reason,
          generationAfter: current,
          health: v.results,
        },
      );
    }
    if (!v.ok) {
      return finish(
        'failed',
        `deploy failed (${reason}); ${what} to generation ${current?.number}, but it is not healthy either: ${v.failing?.check.summary ?? 'validation failed'}`,
        ExitCode.failed,
        { failedCheck: reason, generationAfter: current, health: v.results },
      );
    }
    return finish('rolled-back', `deploy failed (${reason}); ${what} to generation ${current?.number}, which is healthy`, ExitCode.failed, {
      failedCheck: reason,
      generationAfter: current,
      health: v.results,
    });
  }

  /** `tested`: the store path a `test` goal left running (never a generation of the profile). */
  async function writeHostRecord(outcome: string, generation: GenerationRef | null, tested?: string): Promise<void> {
    const step = hostRecordStep(runner.exec.actionCtx, {
      deploymentId,
      host: host.name,
      operation: 'apply',
      outcome,
      flakeRev: plan.flake.target.rev,
      dirty: plan.flake.target.dirty,
      planHash: plan.hash,
      generation,
      ...(goal !== 'switch' ? { goal } : {}),
      ...(tested ? { tested } : {}),
      by: recordBy(input.approvedBy),
      machine: hostname(),
      at: new Date().toISOString(),
    });
    hostRecord = (await runner.run(step, 'bookkeeping')).status === 'ok';
  }
}
