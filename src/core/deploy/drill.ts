// A rollback drill on a staging host: roll back to the previous generation, verify, roll
// forward to the current one, verify. It keeps the rollback path tested, and production
// promotion requires a recent pass.
import type { Host } from '../inventory/schema.js';
import type { GenerationRef } from '../plan/schema.js';
import { ExitCode, UserError } from '../errors.js';
import { validationSteps } from '../plan/steps.js';
import { generationHost } from '../inventory/generationHost.js';
import { WriteFailures, guardedAudit, guardedDrills, guardedLedger, unrecordedNote } from './guardedRecords.js';
import { switchAndActivate } from './switchUnit.js';
import { createRunner } from './runner.js';
import { execContext, openTransports, releaseLock, takeLock, validate, type DeployDeps } from './apply.js';
import { chooseTarget, listGenerations } from './generations.js';
import type { DrillLedger } from './ledger.js';

export interface DrillResult {
  drillId: string | null;
  outcome: 'passed' | 'failed' | 'refused';
  exitCode: ExitCode;
  message: string;
  durationMs: number;
}

export async function drillHost(o: { host: Host; flakeDir: string; knownGood?: GenerationRef[] }, deps: DeployDeps & { drills: DrillLedger }): Promise<DrillResult> {
  const { host } = o;
  if (host.environment !== 'staging') throw new UserError(`host '${host.name}' is ${host.environment}: rollback drills run on staging hosts only`);
  const t0 = Date.now();
  // A drill switches the host twice: this machine's records never interrupt it half way.
  const failures = new WriteFailures();
  const ledger = guardedLedger(deps.ledger, failures);
  deps = { ...deps, ledger, audit: guardedAudit(deps.audit, failures), drills: guardedDrills(deps.drills, ledger.file ?? 'the local records', failures) };
  const { transport, fresh } = openTransports(host, deps.sshConfig);
  try {
    // Back to where a rollback would go: the last known good generation, not one that failed.
    const gens = await listGenerations(host, transport, o.knownGood ?? null);
    const cur = gens.find((g) => g.current);
    if (!cur?.storePath) throw new UserError(`host '${host.name}' has no current generation: deploy it first`);
    const prev = chooseTarget(gens);
    if (!prev.storePath) throw new UserError(`generation ${prev.number} on '${host.name}' has no readable store path`);
    const current: GenerationRef = { number: cur.number, storePath: cur.storePath };
    const previous: GenerationRef = { number: prev.number, storePath: prev.storePath };

    const drillId = await deps.drills.startDrill(host.name, current, previous);
    const deploymentId = await deps.ledger.start({
      host: host.name,
      environment: host.environment,
      target: host.target,
      kind: host.kind,
      operation: 'drill',
      flakeDir: o.flakeDir,
      flakeRev: null,
      dirty: false,
      lockHash: null,
      planHash: null,
      generationBefore: current,
      approver: null,
    });
    // Nothing has touched the host yet: a drill that cannot be recorded does not start.
    if (failures.any)
      return {
        drillId: null,
        outcome: 'refused',
        exitCode: ExitCode.failed,
        message: `the local record could not be written: ${failures.summary()}; nothing on the host changed`,
        durationMs: Date.now() - t0,
      };
    const runner = createRunner(execContext(host, transport, fresh, o.flakeDir, deps, deploymentId), deps.ledger, deploymentId);
    /** Where the host is (the generation its profile points at and runs), for the final words. */
    let on: number = current.number;
    const lost = (healthy: boolean) => unrecordedNote(failures, { generation: on, healthy, hostRecord: null });
    /** Records the failure; awaited (`return await fail`) so it is written before the lock is released. */
    const fail = async (message: string): Promise<DrillResult> => {
      await deps.drills.finishDrill(drillId, 'failed', message);
      await deps.ledger.finish(deploymentId, 'failed', { failedCheck: message, generationAfter: null });
      const note = lost(false);
      return { drillId, outcome: 'failed', exitCode: ExitCode.failed, message: note ? `${message}; ${note}` : message, durationMs: Date.now() - t0 };
    };
    const lock = await takeLock(runner, deploymentId);
    if (!lock.ok) {
      await deps.ledger.finish(deploymentId, 'refused', { failedCheck: `locked by ${lock.owner}` });
      await deps.drills.finishDrill(drillId, 'failed', `host locked by ${lock.owner}`);
      return { drillId, outcome: 'refused', exitCode: ExitCode.badInput, message: `host '${host.name}' is locked by another deploy (${lock.owner})`, durationMs: Date.now() - t0 };
    }
    try {
      for (const [label, from, gen] of [
        ['back', current, previous],
        ['forward', previous, current],
      ] as const) {
        // One question per switch; an activation that does not go through puts the profile back.
        const switched = await switchAndActivate(runner, host, from, gen, `drill-${label}`, 'rollback');
        if (!switched.ok) {
          const r = switched.outcome;
          const what = label === 'back' && switched.refused && switched.restored ? `drill ${r.status}` : `rolling ${label} ${r.status}`;
          return await fail(`${what} at ${switched.at}: ${r.reason ?? r.stderr.trim()}; ${switched.said}`);
        }
        on = gen.number;
        const activatedAt = switched.activatedAt;
        // Each generation is checked as it configures the gateway (its port may differ).
        const genHost = await generationHost(host, runner.exec.transport, gen.storePath);
        const v = await validate(runner, validationSteps(genHost, runner.exec.actionCtx, `drill-${label}-check`), deps, deps.ledger, deploymentId, activatedAt);
        if (!v.ok) {
          if (label === 'back') {
            // The previous generation is unhealthy: restore the current one before reporting.
            const restored = await switchAndActivate(runner, host, previous, current, 'drill-restore', 'rollback');
            if (restored.ok) on = current.number;
          }
          return await fail(
            v.aborted
              ? `generation ${gen.number} could not be verified after rolling ${label}: ${v.aborted}`
              : `generation ${gen.number} is not healthy after rolling ${label}: ${v.failing?.check.summary ?? 'validation failed'}`,
          );
        }
      }
    } finally {
      await releaseLock(runner);
    }
    const durationMs = Date.now() - t0;
    const message = `drill passed on ${host.name}: back to generation ${previous.number} and forward to ${current.number}, healthy both ways, in ${(durationMs / 1000).toFixed(1)} s`;
    await deps.drills.finishDrill(drillId, 'passed', message);
    await deps.ledger.finish(deploymentId, 'succeeded', { generationAfter: current });
    const note = lost(true);
    return note ? { drillId, outcome: 'passed', exitCode: ExitCode.failed, message: `${message}; ${note}`, durationMs } : { drillId, outcome: 'passed', exitCode: ExitCode.ok, message, durationMs };
  } finally {
    await transport.close();
  }
}
