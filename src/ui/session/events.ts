// The deploy flow's events folded into the screen's state: step states, the running step with
// its last output line, validation results (the health table), the rollback as it happens.
import type { DeployEvent } from '../../core/deploy/apply.js';
import type { Step } from '../../core/plan/schema.js';
import { behaviourOf, stepLabel } from '../../core/plan/behaviour.js';
import type { CheckResult } from '../../core/exec/types.js';
import type { HealthRow, StepRow, UiState } from './state.js';

const OUTPUT_LINES = 500;

export function rowOf(s: Step, phase: StepRow['phase']): StepRow {
  return { id: s.id, action: s.action, label: stepLabel(s), risk: s.risk, phase, state: 'pending' };
}

/** Check names for validation results, in the order of the steps that produced them. */
export function healthRows(steps: Array<Pick<Step, 'action' | 'args'>>, results: CheckResult[]): HealthRow[] {
  return results.map((result, i) => ({ check: steps[i] ? stepLabel(steps[i]) : `check ${i + 1}`, result }));
}

export function reduceEvent(s: UiState, e: DeployEvent, now = Date.now()): Partial<UiState> {
  switch (e.type) {
    case 'phase': {
      const tone = e.phase === 'rollback' ? 'bad' : 'info';
      const banners = e.phase === 'rollback' || e.phase === 'verify' ? [...s.banners, { text: e.message, tone } as const] : s.banners;
      return { phase: e.message, banners, ...(e.phase === 'rollback' ? { panel: 'steps' as const } : {}) };
    }
    case 'step-start': {
      // clawdeploy's own files on the host (lock, record, watchdog): not steps a person reviews.
      if (behaviourOf(e.step).bookkeeping) return {};
      const phase: StepRow['phase'] = s.incident
        ? 'rollback'
        : s.phase?.startsWith('rolling back') || s.phase?.startsWith('verifying')
          ? 'rollback'
          : s.phase?.startsWith('validating')
            ? 'validate'
            : 'apply';
      const steps = upsert(s.steps, e.step, phase, { state: 'running' });
      return { steps, running: { label: `${stepLabel(e.step)}: ${e.step.reason}`, startedAt: now, lastLine: '' } };
    }
    case 'output': {
      const output = [...s.output, `${e.step.action}: ${e.line}`].slice(-OUTPUT_LINES);
      return { output, ...(s.running ? { running: { ...s.running, lastLine: e.line } } : {}) };
    }
    case 'step-end': {
      if (behaviourOf(e.step).bookkeeping) return {};
      const o = e.outcome;
      const state = o.status === 'ok' ? 'done' : o.status === 'failed' ? 'failed' : 'skipped';
      const note = o.status === 'ok' ? undefined : `${o.status}${o.reason ? `: ${o.reason}` : ''}`;
      return { steps: upsert(s.steps, e.step, 'apply', { state, ms: o.durationMs, ...(note ? { note } : {}) }), running: null };
    }
    case 'validation': {
      return { health: healthRows(e.steps, e.results), phase: `${s.phase?.replace(/ \(attempt \d+\)$/, '') ?? 'validating'} (attempt ${e.attempt})` };
    }
  }
}

function upsert(rows: StepRow[], step: Step, phase: StepRow['phase'], patch: Partial<StepRow>): StepRow[] {
  const i = rows.findIndex((r) => r.id === step.id);
  if (i < 0) return [...rows, { ...rowOf(step, phase), ...patch }];
  return rows.map((r, j) => (j === i ? { ...r, ...patch } : r));
}

/** After the flow: what never ran is skipped, not pending forever. */
export function settle(rows: StepRow[]): StepRow[] {
  return rows.map((r) => (r.state === 'pending' || r.state === 'running' ? { ...r, state: 'skipped' } : r));
}
