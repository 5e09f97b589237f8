// Runs steps through the tool layer and writes each outcome to the ledger: the one place the
// deploy flow touches a host. It never builds an argv itself.
import type { Step } from '../plan/schema.js';
import type { ExecContext, StepOutcome, Approver } from '../exec/types.js';
import { executeStep } from '../exec/executor.js';
import type { Ledger, StepRecord } from './ledger.js';

export class StepFailed extends Error {
  constructor(readonly outcome: StepOutcome) {
    super(`${outcome.action} ${outcome.status}: ${outcome.reason ?? (outcome.stderr.trim().split('\n').at(-1) || `exit ${outcome.exitCode}`)}`);
  }
}

export interface Runner {
  readonly exec: ExecContext;
  /** Runs a step; a failure is returned, not thrown. */
  run(step: Step, phase: StepRecord['phase'], input?: string): Promise<StepOutcome>;
  /** Runs a step and throws StepFailed unless it succeeded. */
  must(step: Step, phase: StepRecord['phase'], input?: string): Promise<StepOutcome>;
  /** The same runner with another approver (e.g. the automatic rollback, approved with the plan). */
  withApprover(approver: Approver): Runner;
}

/**
 * clawdeploy's own files on the host (lock, record, watchdog canary, in <profile>.clawdeploy/)
 * are part of running the approved plan: asking a person for each would teach "y" by reflex.
 * They still go through the catalog, the policy's deny rules and the audit log.
 */
const bookkeepingApprover: Approver = async () => ({ approved: true, approver: 'clawdeploy (bookkeeping in <profile>.clawdeploy/)' });

export function createRunner(exec: ExecContext, ledger: Ledger | null, deploymentId: string | null): Runner {
  const bookkeeping: ExecContext = { ...exec, approver: bookkeepingApprover };
  const run = async (step: Step, phase: StepRecord['phase'], input?: string) => {
    const ctx = phase === 'bookkeeping' ? bookkeeping : exec;
    const outcome = await executeStep(step, ctx, input === undefined ? {} : { input });
    if (ledger && deploymentId) {
      await ledger.step(deploymentId, {
        stepId: step.id,
        action: step.action,
        phase,
        status: outcome.status,
        exitCode: outcome.exitCode,
        durationMs: outcome.durationMs,
        output: (outcome.stdout + outcome.stderr).slice(-4096),
      });
    }
    return outcome;
  };
  return {
    exec,
    run,
    async must(step, phase, input) {
      const o = await run(step, phase, input);
      if (o.status !== 'ok') throw new StepFailed(o);
      return o;
    },
    withApprover: (approver) => createRunner({ ...exec, approver }, ledger, deploymentId),
  };
}
