// Runs the validation steps again and again until every check passes or the overall deadline
// is reached. The deadline is finite by default (morph's infinite default is a known trap),
// and a try never runs past it by more than MIN_TRY_MS.
//
// A gateway that does not answer its liveness endpoint (/healthz) cannot pass any other check,
// so while it is down an attempt asks only that (one cheap request) instead of starting the
// CLI checks, which cost a process each and load a gateway that is still starting. Once it
// answers, everything else runs at once; /readyz and the channel probes are not gates, since
// their failures are the diagnosis (a missing token file, a channel that does not work).
import type { Step } from '../plan/schema.js';
import { UserError } from '../errors.js';
import { mark } from '../timing.js';
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
/**
 * Attempts are this close together at first: a restarted gateway is usually up within a second
 * or two, and while it is down an attempt is one cheap request (see isLivenessGate).
 */
const QUICK_PAUSE_MS = 50;
/** How long quick attempts go on before they are spaced by the period. */
const QUICK_WINDOW_MS = 3000;

/** The liveness check: an HTTP check of /healthz. */
export function isLivenessGate(step: Step): boolean {
  return step.action === 'http-check' && step.args['path'] === '/healthz';
}

/** The check of an outcome; a step that did not run or failed without a parser still gives one. */
function resultOf(step: Step, o: StepOutcome): CheckResult {
  if (o.check && (o.status === 'ok' || !o.check.ok)) return o.check;
  const why = o.reason ?? (o.status === 'ok' ? 'ok' : `exit ${o.exitCode}`);
  return { ...(o.check ?? {}), ok: o.status === 'ok', summary: o.status === 'ok' ? o.check?.summary ?? `${step.action}: ok` : `${step.action} ${o.status}: ${why}` };
}

export interface CheckRound {
  /** One per step, in the order of the steps. */
  results: CheckResult[];
  /** The liveness check that failed, or else the first failing step. */
  failing?: { step: Step; check: CheckResult };
  /** A refusal, denial or "no": retrying cannot change it. */
  final: boolean;
}

/**
 * Every check once: the liveness gate first, then (if it answered) all the others at once, since
 * they are independent reads. The validation retries rounds; the incident view runs one.
 */
export async function checkRound(steps: Step[], ctx: ExecContext, timeoutMs?: number): Promise<CheckRound> {
  const gates = steps.filter(isLivenessGate);
  const rest = steps.filter((s) => !isLivenessGate(s));
  const run = (list: Step[]) => Promise.all(list.map((step) => executeStep(step, ctx, timeoutMs !== undefined ? { timeoutMs } : {})));
  const byStep = new Map<Step, StepOutcome>();
  (await run(gates)).forEach((o, i) => byStep.set(gates[i]!, o));
  const gateFailed = gates.find((g) => byStep.get(g)!.status !== 'ok');
  if (!gateFailed) (await run(rest)).forEach((o, i) => byStep.set(rest[i]!, o));
  const results = steps.map((step): CheckResult => {
    const o = byStep.get(step);
    return o ? resultOf(step, o) : { ok: false, notRun: true, summary: `not run: the gateway does not answer ${String(gateFailed!.args['path'])}` };
  });
  const bad = gateFailed ? steps.indexOf(gateFailed) : results.findIndex((c) => !c.ok);
  return {
    results,
    ...(bad >= 0 ? { failing: { step: steps[bad]!, check: results[bad]! } } : {}),
    final: [...byStep.values()].some((o) => o.status === 'refused' || o.status === 'denied' || o.status === 'declined'),
  };
}

export async function runValidation(steps: Step[], ctx: ExecContext, opts: ValidationOptions = {}): Promise<ValidationResult> {
  const periodMs = opts.periodMs ?? 2000;
  const deadlineMs = opts.deadlineMs ?? 60_000;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) throw new UserError(`validation deadline must be a finite number of milliseconds above 0, got ${deadlineMs}`);
  if (!Number.isFinite(periodMs) || periodMs < 0) throw new UserError(`validation period must be a finite number of milliseconds, got ${periodMs}`);
  const start = performance.now();
  const deadline = start + deadlineMs;
  for (let attempt = 1; ; attempt++) {
    const left = Math.max(MIN_TRY_MS, Math.round(deadline - performance.now()));
    const { results, failing, final } = await checkRound(steps, ctx, Math.min(left, opts.perTryTimeoutMs ?? Infinity));
    mark(`validation attempt ${attempt} ${failing ? 'failed' : 'passed'} (${Math.round(performance.now() - start)} ms in)`);
    opts.onAttempt?.(attempt, results);
    if (!failing) return { ok: true, attempts: attempt, results };
    // Quick at first (a restarting gateway is often up within a second), then every periodMs.
    const pause = performance.now() - start < QUICK_WINDOW_MS ? Math.min(periodMs, QUICK_PAUSE_MS) : periodMs;
    if (final || performance.now() + pause >= deadline) return { ok: false, attempts: attempt, results, failing };
    await new Promise((r) => setTimeout(r, pause));
  }
}
