// Validation after a switch: decides, within a finite deadline that counts from activation,
// whether the gateway and every channel work, and follows readiness closely.
//
// The real gateway answers /healthz 18-48 s and /readyz 23-60 s after start on 2 cores, and
// refuses RPC connections ("gateway starting") until its start-up is over. So:
// - while /healthz is refused, only it is polled (one cheap request; 50 ms apart for the first
//   3 s, then at most a period apart);
// - once it answers, the cheap checks (/readyz, the unit's state, the gateway's status and
//   health over its RPC) are polled every POLL_MS; the channel probe, which makes the gateway
//   call each channel's API, runs at once and again a period after failing;
// - the verdict is ok the moment every check's latest result is ok together (a channel that
//   passed its probe and a /readyz 200 now cannot disagree: a dead channel turns /readyz 503);
// - at the deadline it fails with the latest results, whose summaries name the cause.
import type { Step } from '../plan/schema.js';
import { UserError } from '../errors.js';
import { mark } from '../timing.js';
import { executeStep } from './executor.js';
import { behaviourOf } from '../plan/behaviour.js';
import type { CheckResult, ExecContext, StepOutcome } from './types.js';

export interface ValidationOptions {
  /** Pause between runs of a failing CLI check, and between liveness polls after the first 3 s (default 1000 ms). */
  periodMs?: number;
  /** Overall deadline (default DEFAULT_DEADLINE_MS), counted from `startedAt`. */
  deadlineMs?: number;
  /** When the clock starts (performance.now() of the activation); default: now. */
  startedAt?: number;
  /** Timeout of each check in one attempt (default: the catalog's, capped by the time left). */
  perTryTimeoutMs?: number;
  /** The results whenever one changes (every finished check), e.g. for the ledger and the UI. */
  onAttempt?: (attempt: number, results: CheckResult[]) => void;
  /**
   * Stops the validation without a verdict (e.g. the link to the host was lost: no check can pass
   * until the deadline, and the host's watchdog does not wait for it). Checks still running are
   * left to their own timeouts; what they find is ignored.
   */
  signal?: AbortSignal;
}

export interface ValidationResult {
  ok: boolean;
  attempts: number;
  /** One per step, from the last attempt. */
  results: CheckResult[];
  /** The first failing step of the last attempt. */
  failing?: { step: Step; check: CheckResult };
  /** Stopped by the signal before a verdict: its reason, in words (not ok, and nothing failed). */
  aborted?: string;
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
  return behaviourOf(step).parser === 'http' && step.args['path'] === '/healthz';
}

/** The check of an outcome; a step that did not run or failed without a parser still gives one. */
function resultOf(step: Step, o: StepOutcome): CheckResult {
  if (o.check && (o.status === 'ok' || !o.check.ok)) return o.check;
  const why = o.reason ?? (o.status === 'ok' ? 'ok' : `exit ${o.exitCode}`);
  return { ...(o.check ?? {}), ok: o.status === 'ok', summary: o.status === 'ok' ? (o.check?.summary ?? `${step.action}: ok`) : `${step.action} ${o.status}: ${why}` };
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
  // A probe that found the channel still starting is settled by /readyz 200 of the same round.
  const results = withReadiness(
    steps.map((step): CheckResult => {
      const o = byStep.get(step);
      return o ? resultOf(step, o) : { ok: false, notRun: true, summary: `not run: the gateway does not answer ${String(gateFailed!.args['path'])}` };
    }),
    steps,
  );
  const bad = gateFailed ? steps.indexOf(gateFailed) : results.findIndex((c) => !c.ok);
  return {
    results,
    ...(bad >= 0 ? { failing: { step: steps[bad]!, check: results[bad]! } } : {}),
    final: [...byStep.values()].some((o) => o.status === 'refused' || o.status === 'denied' || o.status === 'declined'),
  };
}

/** Cheap checks (/readyz, a unit's state) are polled this often once the gateway answers. */
const POLL_MS = 150;
/**
 * The channel probe keeps at most this many runs in flight: each makes the gateway call every
 * channel's API (Telegram's getMe), which must not be hammered.
 */
const MAX_PROBES_IN_FLIGHT = 1;

interface Slot {
  step: Step;
  /** The latest finished result (null: none since the gateway last came up). */
  result: CheckResult | null;
  inFlight: number;
  lastStart: number;
}

export async function runValidation(steps: Step[], ctx: ExecContext, opts: ValidationOptions = {}): Promise<ValidationResult> {
  const periodMs = opts.periodMs ?? 1000;
  const deadlineMs = opts.deadlineMs ?? DEFAULT_DEADLINE_MS;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) throw new UserError(`validation deadline must be a finite number of milliseconds above 0, got ${deadlineMs}`);
  if (!Number.isFinite(periodMs) || periodMs < 0) throw new UserError(`validation period must be a finite number of milliseconds, got ${periodMs}`);
  const start = opts.startedAt ?? performance.now();
  const deadline = start + deadlineMs;
  const left = () => deadline - performance.now();
  const gates = steps.filter(isLivenessGate);
  const slots: Slot[] = steps.filter((s) => !isLivenessGate(s)).map((step) => ({ step, result: null, inFlight: 0, lastStart: -Infinity }));
  const running = new Set<Promise<void>>();
  const hasReadiness = steps.some(isReadiness);
  let done = false;
  const gateResults = new Map<Step, CheckResult>();
  let attempt = 0;
  let epoch = 0;
  let final = false;
  const wake = new Wakeup();
  // Every wait below also ends when the signal aborts.
  const signal = opts.signal;
  const abortedP = new Promise<void>((r) => {
    if (signal?.aborted) r();
    signal?.addEventListener('abort', () => r(), { once: true });
  });
  const orAbort = <T>(p: Promise<T>): Promise<T | void> => (signal ? Promise.race([p, abortedP]) : p);

  const snapshot = (): CheckResult[] =>
    steps.map((step) => {
      if (isLivenessGate(step)) return gateResults.get(step) ?? { ok: false, notRun: true, summary: `${String(step.args['path'])}: not asked yet` };
      const slot = slots.find((x) => x.step === step)!;
      return slot.result ?? { ok: false, notRun: true, summary: gateDown() ? `not run: the gateway does not answer ${String(gates[0]?.args['path'])}` : `${step.action}: running` };
    });
  const gateDown = () => gates.some((g) => gateResults.get(g)?.ok !== true);
  const report = () => {
    attempt += 1;
    opts.onAttempt?.(attempt, snapshot());
  };
  const runOne = async (step: Step): Promise<CheckResult> => {
    const timeoutMs = Math.min(Math.max(MIN_TRY_MS, Math.round(left())), opts.perTryTimeoutMs ?? Infinity);
    const o = await executeStep(step, ctx, { timeoutMs });
    if (o.status === 'refused' || o.status === 'denied' || o.status === 'declined') final = true;
    return resultOf(step, o);
  };

  const launch = (slot: Slot) => {
    slot.inFlight += 1;
    slot.lastStart = performance.now();
    const myEpoch = epoch;
    // A check that throws (its audit entry could not be written…) is a failed check, never an
    // unhandled rejection: a run still in flight after the verdict must not bring the process down.
    const p = runOne(slot.step)
      .catch((e: unknown): CheckResult => ({ ok: false, summary: `${slot.step.action}: ${e instanceof Error ? e.message : String(e)}` }))
      .then((r) => {
        slot.inFlight -= 1;
        running.delete(p);
        // After the verdict a late run changes nothing; from before the gateway last went down it says nothing.
        if (done || myEpoch !== epoch) return;
        slot.result = r;
        report();
        wake.fire();
      });
    running.add(p);
  };
  const finish = (r: ValidationResult): ValidationResult => {
    done = true;
    return r;
  };
  const stopped = (): ValidationResult => finish({ ok: false, attempts: attempt, results: withReadiness(snapshot(), steps), aborted: abortReason(signal!) });

  for (;;) {
    if (signal?.aborted) return stopped();
    // Liveness first: while it fails nothing else runs.
    if (gates.length && (gateDown() || !slots.length)) {
      const rs = await orAbort(Promise.all(gates.map((g) => runOne(g))));
      if (!rs) return stopped();
      const wasDown = gateDown();
      gates.forEach((g, i) => gateResults.set(g, rs[i]!));
      if (wasDown && !gateDown()) epoch += 1;
      report();
    }
    const now = performance.now();
    const all = withReadiness(snapshot(), steps);
    const failingIndex = all.findIndex((c) => !c.ok);
    mark(`validation ${failingIndex < 0 ? 'passed' : 'pending'} (${Math.round(now - start)} ms in)`);
    // Runs still in flight do not hold the verdict back: every latest result is ok now.
    if (failingIndex < 0) return finish({ ok: true, attempts: attempt, results: all });
    if (final || settledFailure(all) || left() <= 0) {
      // Let runs in flight finish (each is bounded by the time that was left), then decide.
      await orAbort(Promise.all([...running]));
      if (signal?.aborted) return stopped();
      const last = withReadiness(snapshot(), steps);
      const bad = gateDown() ? steps.indexOf(gates.find((g) => gateResults.get(g)?.ok !== true)!) : last.findIndex((c) => !c.ok);
      if (bad < 0) return finish({ ok: true, attempts: attempt, results: last });
      return finish({ ok: false, attempts: attempt, results: last, failing: { step: steps[bad]!, check: last[bad]! } });
    }
    const quick = now - start < QUICK_WINDOW_MS;
    if (gateDown()) {
      for (const slot of slots) slot.result = null;
      await orAbort(sleep(Math.min(quick ? QUICK_PAUSE_MS : periodMs, Math.max(0, left()))));
      continue;
    }
    // The gateway answers: keep every other check moving.
    const readyFailing = new Set(readinessFailing(all));
    for (const slot of slots) {
      const since = now - slot.lastStart;
      const does = behaviourOf(slot.step);
      // A check that costs one request (the catalog's `cheap`) is polled.
      if (does.cheap) {
        if (slot.inFlight === 0 && since >= (quick ? QUICK_PAUSE_MS : Math.min(POLL_MS, periodMs))) launch(slot);
      } else if (does.parser === 'channels') {
        // A channel that passed stays passed, unless readiness names it failing since; one that was
        // still starting is settled by readiness, when there is a readiness check to do it.
        const named = channelsOf(slot.step).some((c) => readyFailing.has(c));
        if (slot.result?.ok && !named) continue;
        if (slot.result?.awaitsReadiness && hasReadiness && !named) continue;
        if (slot.inFlight === 0 || (slot.inFlight < MAX_PROBES_IN_FLIGHT && since >= periodMs)) launch(slot);
      } else if (slot.inFlight === 0 && !slot.result?.ok && since >= (slot.result ? periodMs : 0)) {
        launch(slot);
      }
    }
    await orAbort(Promise.race([wake.next(), sleep(Math.min(quick ? QUICK_PAUSE_MS : POLL_MS, Math.max(0, left())))]));
    if (signal?.aborted) return stopped();
    // The result that completed the picture gives the verdict now, not after one more gate request.
    if (withReadiness(snapshot(), steps).every((c) => c.ok)) continue;
    // Re-check the gate: a gateway that dies after answering (nothing listens any more) sends us
    // back. A slow answer on a loaded host is not a death: it keeps what the other checks found.
    if (gates.length) {
      const rs = await orAbort(Promise.all(gates.map((g) => runOne(g))));
      if (!rs) return stopped();
      if (rs.some((r) => !r.ok && r.summary.startsWith(NOT_LISTENING))) {
        gates.forEach((g, i) => gateResults.set(g, rs[i]!));
        epoch += 1;
      }
    }
  }
}

/** What /readyz named failing in these results (its items `ready:<name>`). */
function readinessFailing(results: CheckResult[]): string[] {
  return results.flatMap((c) => (c.items ?? []).filter((x) => !x.ok && x.name.startsWith('ready:')).map((x) => x.name.slice('ready:'.length)));
}

/**
 * A failure that waiting cannot change: a channel the probe found blocked, which readiness names
 * failing too once the gateway's own start-up is over (no "startup-*" part left).
 */
function settledFailure(results: CheckResult[]): boolean {
  const failing = readinessFailing(results);
  if (failing.some((f) => f.startsWith('startup'))) return false;
  return results.some((c) => c.final && (c.items ?? []).some((x) => !x.ok && x.name.startsWith('channel:') && (failing.length === 0 || failing.includes(x.name.slice('channel:'.length)))));
}

const isReadiness = (s: Step) => behaviourOf(s).parser === 'http' && s.args['path'] === '/readyz';

/**
 * A channel probe that found its channels still starting (credentials fine, nothing failed) is
 * completed by /readyz answering 200: the gateway's own word that its channels are up.
 */
function withReadiness(results: CheckResult[], steps: Step[]): CheckResult[] {
  const ready = steps.some((s, i) => isReadiness(s) && results[i]?.ok);
  if (!ready) return results;
  return results.map((r) =>
    r.awaitsReadiness
      ? {
          ok: true,
          summary: `every channel works: ${(r.items ?? []).map((x) => x.name.replace(/^channel:/, '')).join(', ')} (probe ok; up per /readyz)`,
          items: (r.items ?? []).map((x) => ({ ...x, ok: true, detail: x.ok ? x.detail : 'probe ok; up per /readyz' })),
        }
      : r,
  );
}

/** How the HTTP check's parser says that nothing listens on the port (curl exit 7). */
const NOT_LISTENING = 'no gateway listening';

const channelsOf = (step: Step): string[] => (Array.isArray(step.args['channels']) ? step.args['channels'].map(String) : []);

/** The abort's reason in words: an Error's message, else the reason itself. */
function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : String(r ?? 'stopped');
}

/** The default deadline: a real gateway's 60 s start on 2 cores, plus the CLI checks after it. */
export const DEFAULT_DEADLINE_MS = 150_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Wakes whoever waits when a check finishes. */
class Wakeup {
  private waiters: Array<() => void> = [];
  next(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }
  fire(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}
