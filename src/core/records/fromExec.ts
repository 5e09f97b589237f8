// Turns what the executor returns into ledger records, so callers do not hand-copy fields.
import type { CheckResult, StepOutcome } from '../exec/types.js';
import type { HealthRecord, StepPhase, StepRecord, TimeInput } from './types.js';

export function stepRecordFromOutcome(outcome: StepOutcome, phase: StepPhase, startedAt: TimeInput): StepRecord {
  const start = new Date(startedAt);
  const output = [outcome.stdout, outcome.stderr].filter((s) => s.length > 0).join('\n--- stderr ---\n');
  return {
    stepId: outcome.stepId,
    action: outcome.action,
    phase,
    status: outcome.status,
    exitCode: outcome.exitCode,
    durationMs: outcome.durationMs,
    startedAt: start,
    finishedAt: new Date(start.getTime() + outcome.durationMs),
    output,
    reason: outcome.reason ?? null,
  };
}

/** One record for the check itself, then one per item under the item's own name (e.g. "channel:telegram"). */
export function healthRecordsFromCheck(name: string, check: CheckResult, attempt = 1, at: TimeInput = new Date()): HealthRecord[] {
  return [{ name, ok: check.ok, detail: check.summary, attempt, at }, ...(check.items ?? []).map((i) => ({ name: i.name, ok: i.ok, detail: i.detail, attempt, at }))];
}
