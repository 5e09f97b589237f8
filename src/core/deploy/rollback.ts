// Guided rollback for incidents: show the generations (current, last known good), what changes
// between the current one and the target, and the health now; propose the target; ask; switch;
// verify; record. Also the rollback drill, which does it twice on a staging host.
import type { Host } from '../inventory/schema.js';
import type { Change, GenerationRef } from '../plan/schema.js';
import type { CheckResult } from '../exec/types.js';
import { checkRound } from '../exec/validate.js';
import { ExitCode, UserError } from '../errors.js';
import { validationSteps } from '../plan/steps.js';
import { stepLabel } from '../plan/behaviour.js';
import { generationHost } from '../inventory/generationHost.js';
import { createRunner, type Runner } from './runner.js';
import { execContext, openTransports, releaseLock, takeLock, validate, type DeployDeps, type DeployResult } from './apply.js';
import { chooseTarget, diffGenerations, listGenerations, type GenerationInfo } from './generations.js';
import { hostRecordStep, recordBy } from './hostFiles.js';
import { hostname } from 'node:os';
import { timed } from '../timing.js';
import { WriteFailures, guardedAudit, guardedLedger, unrecordedNote } from './guardedRecords.js';
import { switchAndActivate } from './switchUnit.js';
import { disarmOnApproval } from './watchdogFlow.js';
import { readWatchdog, runnerReader } from './watchdog.js';

export interface RollbackProposal {
  generations: GenerationInfo[];
  current: GenerationInfo;
  target: GenerationInfo;
  /** What changes from the current generation to the target; null while it is worked out after the switch. */
  changes: Change[] | null;
  healthNow: NamedCheck[];
}

export interface RollbackOptions {
  host: Host;
  flakeDir: string;
  to?: number;
  /** From the records: the newest known-good generation(s), newest first. */
  lastKnownGood: GenerationRef[] | GenerationRef | null;
  /** Shown before the switch is asked for (the incident view); awaited, so advice can be added first. */
  onProposal?: (p: RollbackProposal) => void | Promise<void>;
  /**
   * Work out what changes while the host switches, not before: for a pre-approved rollback, where
   * nobody reads the proposal before the switch and every moment before it is outage. The
   * proposal then comes with changes null, and onChanges gives them (or why they are unknown).
   */
  changesAfterSwitch?: boolean;
  onChanges?: (changes: Change[] | Error) => void;
}

export interface NamedCheck {
  /** "gateway-status", "http /readyz", "channels-probe"… */
  check: string;
  result: CheckResult;
}

/**
 * Every validation check once, without retries: "how healthy is it right now". A gateway that
 * does not answer /healthz (the usual incident) costs one request, not a CLI process per check.
 */
export async function healthNow(runner: Runner): Promise<NamedCheck[]> {
  // What runs now is the generation the profile points at, on the port its config gives.
  const now = await generationHost(runner.exec.host, runner.exec.transport, runner.exec.host.profile);
  const steps = validationSteps(now, runner.exec.actionCtx, 'health');
  const round = await checkRound(steps, runner.exec);
  return steps.map((s, i) => ({ check: stepLabel(s), result: round.results[i]! }));
}

function ref(g: GenerationInfo): GenerationRef {
  if (!g.storePath) throw new UserError(`generation ${g.number} has no readable store path on the host`);
  return { number: g.number, storePath: g.storePath };
}

export async function rollbackHost(o: RollbackOptions, deps: DeployDeps): Promise<DeployResult & { proposal: RollbackProposal | null }> {
  const { host } = o;
  // An incident rollback never waits on this machine's disk: failed writes are said at the end.
  const failures = new WriteFailures();
  deps = { ...deps, ledger: guardedLedger(deps.ledger, failures), audit: guardedAudit(deps.audit, failures) };
  const withLost = <R extends DeployResult>(r: R, now: { generation: number | null; healthy: boolean; hostRecord: boolean | null }): R => {
    const lost = unrecordedNote(failures, now);
    return lost ? { ...r, message: `${r.message}; ${lost}`, exitCode: r.exitCode === ExitCode.ok ? ExitCode.failed : r.exitCode } : r;
  };
  const { transport, fresh } = openTransports(host, deps.sshConfig, deps.connections);
  const probe = createRunner(execContext(host, transport, fresh, o.flakeDir, deps, null), null, null);
  let deploymentId: string | null = null;
  let locked = false;
  try {
    // How healthy the host is now does not depend on its generations: ask at once.
    const health = timed('health now', () => healthNow(probe));
    health.catch(() => undefined); // awaited below; a failure before then must not go unhandled
    const generations = await timed('generations', () => listGenerations(host, transport, o.lastKnownGood));
    const current = generations.find((g) => g.current);
    if (!current) throw new UserError(`host '${host.name}' has no current generation in ${host.profile}: nothing to roll back`);
    const target = chooseTarget(generations, o.to);
    // The checks after the switch are the target generation's (its port, channels, plugins).
    const targetHost = generationHost(host, transport, ref(target).storePath);
    targetHost.catch(() => undefined);
    const diff = () => timed('diff', () => diffGenerations(host, transport, ref(current).storePath, ref(target).storePath, (s) => deps.redactor.redact(s)));
    // The record and the host's lock are taken while the health now and the diff are still
    // being read: nobody else deploys while the operator decides, and the switch waits for nothing.
    deploymentId = await deps.ledger.start({
      host: host.name,
      environment: host.environment,
      target: host.target,
      kind: host.kind,
      operation: 'rollback',
      flakeDir: o.flakeDir,
      flakeRev: null,
      dirty: false,
      lockHash: null,
      planHash: null,
      generationBefore: ref(current),
      approver: null,
    });
    const runner = createRunner(execContext(host, transport, fresh, o.flakeDir, deps, deploymentId), deps.ledger, deploymentId);
    // `locked` as soon as it is taken: if the diff fails meanwhile, the lock is still released.
    const locking = timed('lock', () => takeLock(runner, deploymentId!)).then((l) => ((locked = l.ok), l));
    // Only ssh hosts get a watchdog (apply arms one where there is a store URL).
    const leftover = transport.storeUrl ? readWatchdog(runnerReader(runner), host) : null;
    leftover?.catch(() => undefined); // awaited after the lock
    // All three settle before anything is thrown, so a lock taken meanwhile is known (and released).
    const changing = o.changesAfterSwitch ? Promise.resolve(null) : diff();
    await Promise.allSettled([changing, health, locking]);
    const [changes, healthNowResults, lock] = [await changing, await health, await locking];
    const proposal: RollbackProposal = { generations, current, target, changes, healthNow: healthNowResults };
    await o.onProposal?.(proposal);
    if (!lock.ok) {
      await deps.ledger.finish(deploymentId, 'refused', { failedCheck: `locked by ${lock.owner}` });
      return { deploymentId, outcome: 'refused', exitCode: ExitCode.badInput, message: `host '${host.name}' is locked by another deploy (${lock.owner})`, proposal };
    }
    // A watchdog left armed by a killed deploy would switch and activate again after this rollback:
    // disarmed once the switch is approved.
    const say = (message: string) => deps.onEvent?.({ type: 'phase', phase: 'rollback', message });
    const switching = leftover ? runner.withApprover(disarmOnApproval(runner, leftover, say)) : runner;
    // Switch and activate, asked once; an activation that does not go through puts the profile back.
    const switched = await switchAndActivate(switching, host, ref(current), ref(target), 'rollback', 'rollback');
    if (!switched.ok) {
      const r = switched.outcome;
      const refused = switched.refused && switched.restored;
      await deps.ledger.finish(deploymentId, refused ? 'refused' : 'failed', { failedCheck: `${switched.at}: ${r.reason ?? r.stderr.trim()}` });
      const result = {
        deploymentId,
        outcome: refused ? 'refused' : 'failed',
        exitCode: refused ? ExitCode.blocked : ExitCode.failed,
        message: `rollback ${r.status} at ${switched.at}${r.reason ? `: ${r.reason}` : ''}; ${switched.said}`,
        proposal,
      } as const;
      return withLost(result, { generation: switched.restored ? current.number : null, healthy: false, hostRecord: null });
    }
    const approver = switched.approver;
    const activatedAt = switched.activatedAt;
    // While the gateway restarts: what changed (see changesAfterSwitch).
    const later = proposal.changes
      ? null
      : diff().then(
          (c) => {
            proposal.changes = c;
            o.onChanges?.(c);
          },
          (e: unknown) => o.onChanges?.(e instanceof Error ? e : new Error(String(e))),
        );
    const verifyHost = await targetHost;
    const v = await timed('validate', () => validate(runner, validationSteps(verifyHost, runner.exec.actionCtx, 'verify'), deps, deps.ledger, deploymentId!, activatedAt));
    await later;
    const outcome = v.ok ? 'succeeded' : 'failed';
    const written = await runner.run(
      hostRecordStep(runner.exec.actionCtx, {
        deploymentId,
        host: host.name,
        operation: 'rollback',
        outcome,
        flakeRev: null,
        dirty: false,
        planHash: null,
        generation: ref(target),
        by: recordBy(approver),
        machine: hostname(),
        at: new Date().toISOString(),
      }),
      'bookkeeping',
    );
    await deps.ledger.finish(deploymentId, outcome, { generationAfter: ref(target), failedCheck: v.ok ? null : (v.aborted ?? v.failing?.check.summary ?? 'validation failed') });
    const result: DeployResult & { proposal: RollbackProposal } = {
      deploymentId,
      outcome,
      exitCode: v.ok ? ExitCode.ok : ExitCode.failed,
      message: v.ok
        ? `rolled ${host.name} back to generation ${target.number}, which is healthy`
        : v.aborted
          ? `switched ${host.name} to generation ${target.number}, but it could not be verified: ${v.aborted}`
          : `switched ${host.name} to generation ${target.number}, but it is not healthy: ${v.failing?.check.summary ?? 'validation failed'}`,
      health: v.results,
      proposal,
    };
    return withLost(result, { generation: target.number, healthy: v.ok, hostRecord: written.status === 'ok' });
  } catch (e) {
    if (deploymentId) await deps.ledger.finish(deploymentId, 'failed', { failedCheck: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    if (locked && deploymentId) await releaseLock(createRunner(execContext(host, transport, fresh, o.flakeDir, deps, deploymentId), null, null));
    await transport.close();
  }
}
