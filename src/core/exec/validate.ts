// Runs the validation steps again and again until every check passes or the overall deadline
// is reached. The deadline is finite by default (morph's infinite default is a known trap),
// and a try never runs past it by more than MIN_TRY_MS.
import type { Step } from '../plan/schema.js';
import { UserError } from '../errors.js';
import { executeStep } from './executor.js';
import type { CheckResult, ExecContext, StepOutcome } from './types.js';

export interface ValidationOptions {
  /** Pause between attempts (default 2000 ms). */
  periodMs?: number;
  /** Overall deadline from the start (default 60 000 ms). */
  deadlineMs?: number;
  /** Timeout of each check in one attempt (default: the catalog's, capped by the time left). */
  perTryTimeoutMs?: number;
  /** Every attempt's results, e.g. for the ledger and the UI. */
  onAttempt?: (attempt: number, results: CheckResult[]) => void;
}

export interface ValidationResult {
  ok: boolean;
  attempts: number;
  /** One per step, from the last attempt. */
  results: CheckResult[];
  /** The first failing step of the last attempt. */
  failing?: { step: Step; check: CheckResult };
}

/** A check gets at least this long even when the deadline is nearer. */
const MIN_TRY_MS = 1000;
/** The first pause between attempts; it doubles up to the period. */
const FIRST_PAUSE_MS = 100;

/** The check of an outcome; a step that did not run or failed without a parser still gives one. */
function resultOf(step: Step, o: StepOutcome): CheckResult {
  if (o.check && (o.status === 'ok' || !o.check.ok)) return o.check;
  const why = o.reason ?? (o.status === 'ok' ? 'ok' : `exit ${o.exitCode}`);
  return { ...(o.check ?? {}), ok: o.status === 'ok', summary: o.status === 'ok' ? o.check?.summary ?? `${step.action}: ok` : `${step.action} ${o.status}: ${why}` };
}

export async function runValidation(steps: Step[], ctx: ExecContext, opts: ValidationOptions = {}): Promise<ValidationResult> {
  const periodMs = opts.periodMs ?? 2000;
  const deadlineMs = opts.deadlineMs ?? 60_000;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) throw new UserError(`validation deadline must be a finite number of milliseconds above 0, got ${deadlineMs}`);
  if (!Number.isFinite(periodMs) || periodMs < 0) throw new UserError(`validation period must be a finite number of milliseconds, got ${periodMs}`);
  const deadline = performance.now() + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    // The checks are independent reads: one attempt runs them all at once.
    const left = Math.max(MIN_TRY_MS, Math.round(deadline - performance.now()));
    const outcomes = await Promise.all(steps.map((step) => executeStep(step, ctx, { timeoutMs: Math.min(left, opts.perTryTimeoutMs ?? Infinity) })));
    const results = outcomes.map((o, i) => resultOf(steps[i]!, o));
    const bad = results.findIndex((c) => !c.ok);
    const failing: ValidationResult['failing'] = bad >= 0 ? { step: steps[bad]!, check: results[bad]! } : undefined;
    // Retrying cannot change a refusal, a denial or a "no".
    const final = outcomes.some((o) => o.status === 'refused' || o.status === 'denied' || o.status === 'declined');
    opts.onAttempt?.(attempt, results);
    if (!failing) return { ok: true, attempts: attempt, results };
    // Start quick (a restarting gateway is often up within a second), then every periodMs.
    const pause = Math.min(periodMs, FIRST_PAUSE_MS * 2 ** (attempt - 1));
    if (final || performance.now() + pause >= deadline) return { ok: false, attempts: attempt, results, failing };
    await new Promise((r) => setTimeout(r, pause));
  }
}
