// A rollback drill on a staging host: roll back to the previous generation, verify, roll
// forward to the current one, verify. It keeps the rollback path tested, and production
// promotion requires a recent pass.
import type { Host } from '../inventory/schema.js';
import type { GenerationRef } from '../plan/schema.js';
import { ExitCode, UserError } from '../errors.js';
import { switchSteps, validationSteps } from '../plan/steps.js';
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

    const drillId = deps.drills.startDrill(host.name, current, previous);
    const deploymentId = deps.ledger.start({
      host: host.name, environment: host.environment, target: host.target, kind: host.kind, operation: 'drill',
      flakeDir: o.flakeDir, flakeRev: null, dirty: false, lockHash: null, planHash: null, generationBefore: current, approver: null,
    });
    const runner = createRunner(execContext(host, transport, fresh, o.flakeDir, deps, deploymentId), deps.ledger, deploymentId);
    const fail = (message: string): DrillResult => {
      deps.drills.finishDrill(drillId, 'failed', message);
      deps.ledger.finish(deploymentId, 'failed', { failedCheck: message, generationAfter: null });
      return { drillId, outcome: 'failed', exitCode: ExitCode.failed, message, durationMs: Date.now() - t0 };
    };
    const lock = await takeLock(runner, deploymentId);
    if (!lock.ok) {
      deps.ledger.finish(deploymentId, 'refused', { failedCheck: `locked by ${lock.owner}` });
      deps.drills.finishDrill(drillId, 'failed', `host locked by ${lock.owner}`);
      return { drillId, outcome: 'refused', exitCode: ExitCode.badInput, message: `host '${host.name}' is locked by another deploy (${lock.owner})`, durationMs: Date.now() - t0 };
    }
    try {
      for (const [label, gen] of [['back', previous], ['forward', current]] as const) {
        let activatedAt: number | undefined;
        for (const s of switchSteps(host, runner.exec.actionCtx, gen, `drill-${label}`)) {
          if (s.action === 'activate') activatedAt = performance.now();
          const r = await runner.run(s, 'rollback');
          if (r.status !== 'ok') {
            if (label === 'back' && r.status !== 'failed') return fail(`drill ${r.status} at ${s.action}${r.reason ? `: ${r.reason}` : ''}; nothing changed`);
            return fail(`rolling ${label} failed at ${s.action}: ${r.reason ?? r.stderr.trim()}; the host may be on generation ${label === 'back' ? previous.number : current.number}: check with clawdeploy status ${host.name}`);
          }
        }
        const v = await validate(runner, validationSteps(host, runner.exec.actionCtx, `drill-${label}-check`), deps, deps.ledger, deploymentId, activatedAt);
        if (!v.ok) {
          if (label === 'back') {
            // The previous generation is unhealthy: restore the current one before reporting.
            for (const s of switchSteps(host, runner.exec.actionCtx, current, 'drill-restore')) await runner.run(s, 'rollback');
          }
          return fail(`generation ${gen.number} is not healthy after rolling ${label}: ${v.failing?.check.summary ?? 'validation failed'}`);
        }
      }
    } finally {
      await releaseLock(runner);
    }
    const durationMs = Date.now() - t0;
    const message = `drill passed on ${host.name}: back to generation ${previous.number} and forward to ${current.number}, healthy both ways, in ${(durationMs / 1000).toFixed(1)} s`;
    deps.drills.finishDrill(drillId, 'passed', message);
    deps.ledger.finish(deploymentId, 'succeeded', { generationAfter: current });
    return { drillId, outcome: 'passed', exitCode: ExitCode.ok, message, durationMs };
  } finally {
    await transport.close();
  }
}
