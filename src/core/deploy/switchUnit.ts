// Switching a profile and activating it are one confirmed unit. Asked separately, a "no" (or a
// failure) between them left the profile on a generation that never ran: every later plan was
// blocked by drift that no command could fix. So the person is asked once for both, and an
// activation that does not happen puts the profile back.
import type { Host } from '../inventory/schema.js';
import type { GenerationRef, Step } from '../plan/schema.js';
import type { Approval, Approver, StepOutcome } from '../exec/types.js';
import { displayStep } from '../plan/display.js';
import { switchSteps } from '../plan/steps.js';
import type { Runner } from './runner.js';
import type { StepRecord } from './ledger.js';

/**
 * One question for `first` (the profile switch) and `second` (its activation): the request for
 * the first shows both commands; the second reuses that answer instead of asking again.
 */
export function unitApprover(base: Approver, first: Step, second: Step, show: (s: Step) => string): Approver {
  let granted: Approval | null = null;
  return async (req) => {
    if (req.step.id === first.id && req.step.action === first.action) {
      const answer = await base({
        ...req,
        step: { ...req.step, reason: `${first.reason}, then ${second.reason} (one step: if the activation does not happen, the profile is put back)` },
        command: `${req.command} && ${show(second)}`,
      });
      granted = answer.approved === true ? answer : null;
      return answer;
    }
    if (granted && req.step.id === second.id && req.step.action === second.action) {
      const answer = granted;
      granted = null;
      return answer;
    }
    return base(req);
  };
}

/** The runner whose approver asks once for the switch and the activation that follows it. */
export function unitRunner(runner: Runner, first: Step, second: Step): Runner {
  const { redactor, host } = runner.exec;
  return runner.withApprover(unitApprover(runner.exec.approver, first, second, (s) => redactor.redact(displayStep(s, host.target))));
}

/** Putting the profile back is part of the approved unit: nobody is asked again. */
const restoreApprover =
  (by: string | undefined): Approver =>
  async () => ({ approved: true, approver: `${by ?? 'clawdeploy'} (restoring the profile: part of the approved switch)` });

/**
 * After an activation that did not happen (declined, denied, or a switch whose link was lost) or
 * failed (`ran`): back to `previous`. The profile is switched back; when the activation ran,
 * `previous` is activated again. Returns what the host is now, in words, and whether that worked.
 */
export async function restoreProfile(runner: Runner, previous: GenerationRef, ran: boolean, phase: StepRecord['phase'], approvedBy?: string): Promise<{ ok: boolean; said: string }> {
  const [back, activate] = switchSteps(runner.exec.host, runner.exec.actionCtx, previous, 'restore');
  const auto = runner.withApprover(restoreApprover(approvedBy));
  const steps = ran ? [back!, activate!] : [back!];
  for (const s of steps) {
    const o = await auto.run(s, phase);
    if (o.status !== 'ok') {
      return {
        ok: false,
        said: `putting the profile back to generation ${previous.number} failed at ${s.action} (${o.reason ?? o.stderr.trim()}): the profile may point at a generation that is not active; act now: clawdeploy rollback ${runner.exec.host.name} --to ${previous.number}`,
      };
    }
  }
  return {
    ok: true,
    said: ran
      ? `the profile was put back to generation ${previous.number} and it was activated again`
      : `the profile was put back to generation ${previous.number}, which still runs: the host is as before`,
  };
}

export type SwitchResult =
  | { ok: true; approver: string | null; activatedAt: number }
  | { ok: false; at: Step['action']; outcome: StepOutcome; /** Nothing ran (declined, denied, refused). */ refused: boolean; said: string; restored: boolean };

/**
 * Switches the profile from `from` to `to` and activates it, asked once; a switch whose activation
 * does not go through is undone (see restoreProfile). Rollbacks and drills use it.
 */
export async function switchAndActivate(runner: Runner, host: Host, from: GenerationRef, to: GenerationRef, prefix: string, phase: StepRecord['phase']): Promise<SwitchResult> {
  const [sw, act] = switchSteps(host, runner.exec.actionCtx, to, prefix);
  const unit = unitRunner(runner, sw!, act!);
  const switched = await unit.run(sw!, phase);
  if (switched.status !== 'ok') return { ok: false, at: sw!.action, outcome: switched, refused: switched.status !== 'failed', said: 'nothing changed', restored: true };
  const activatedAt = performance.now();
  const activated = await unit.run(act!, phase);
  if (activated.status === 'ok') return { ok: true, approver: switched.approver ?? null, activatedAt };
  const back = await restoreProfile(runner, from, activated.status === 'failed', phase, switched.approver);
  return { ok: false, at: act!.action, outcome: activated, refused: activated.status !== 'failed', said: back.said, restored: back.ok };
}
