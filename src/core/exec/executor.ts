// The one way a step runs: re-validate against the catalog, ask policy (and a person), run the
// argv with no shell, redact what leaves, parse checks, audit every outcome. Nothing runs unless
// every check before it passed; a refusal is an outcome (and an audit entry), not an exception.
import type { Step } from '../plan/schema.js';
import { stepTimeoutMs, validateAction, type ActionSpec } from '../plan/catalog.js';
import { sudoRefusal } from '../plan/runAs.js';
import { untrustedCopy } from '../plan/storeTrust.js';
import { behaviourOf } from '../plan/behaviour.js';
import { displayStep } from '../plan/display.js';
import { runLocal } from '../transport/local.js';
import { nixSshEnv } from '../transport/ssh.js';
import type { RunResult, Transport } from '../transport/types.js';
import { loadPolicy } from './policy/load.js';
import { StringDecoder } from 'node:string_decoder';
import { parseCheck, redactCheck } from './checks.js';
import { runGatewayCall } from './gatewayCall.js';
import { scopeRefusal } from './scope.js';
import { AUDIT_OUTPUT_CHARS, OUTCOME_OUTPUT_CHARS, combined, lastLine, lines, redactArgs, redactArgv, sha256, tail } from './output.js';
import type { AuditEntry, CheckResult, ExecContext, ExecEvent, PolicyVerdict, StepOutcome } from './types.js';

export interface ExecuteOptions {
  /** Text for the command's stdin (an action that declares a `stdin` argument always sends that). */
  input?: string;
  /** Lowers the catalog's timeout for this run (validation retries, tests); never raises it. */
  timeoutMs?: number;
}

type Gate = { ok: true; argv: string[]; spec: ActionSpec } | { ok: false; reason: string };

/** Step 1: the catalog builds the argv again, and the step must be exactly what it builds. */
function gate(step: Step, ctx: ExecContext): Gate {
  const v = validateAction(step.action, step.args, ctx.actionCtx);
  if (!v.ok) return v;
  // Every path in its declared scope, for the host this context runs on (not only the one the step was built for).
  const outside = scopeRefusal(step.action, step.args, v.spec, ctx.host);
  if (outside) return { ok: false, reason: outside };
  const proposed = step.argv as unknown;
  const same = Array.isArray(proposed) && proposed.length === v.argv.length && v.argv.every((w, i) => proposed[i] === w);
  if (!same) return { ok: false, reason: `${step.action}: argv does not match the catalog's (the step was changed after it was built)` };
  // The approver shows the step's `on` and `risk`; a step that lies about them is tampered too.
  if (step.on !== v.spec.on) return { ok: false, reason: `${step.action}: the step says it runs on '${String(step.on)}', the catalog says '${v.spec.on}'` };
  if (step.risk !== v.spec.risk) return { ok: false, reason: `${step.action}: the step says risk '${String(step.risk)}', the catalog says '${v.spec.risk}'` };
  if (v.spec.freshConnection && !ctx.freshTransport) return { ok: false, reason: `${step.action} must run over a fresh connection, and this context cannot open one` };
  return v;
}

interface Settled {
  status: StepOutcome['status'];
  decision: AuditEntry['decision'];
  rule: string;
  approver: string | null;
  /** Unredacted; only copies are redacted for the log. */
  argv: unknown;
  exitCode: number | null;
  durationMs: number;
  /** Already redacted, whole. */
  stdout: string;
  stderr: string;
  reason?: string;
  check?: CheckResult;
}

export async function executeStep(step: Step, ctx: ExecContext, opts: ExecuteOptions = {}): Promise<StepOutcome> {
  const time = new Date().toISOString();
  const started = performance.now();
  const r = ctx.redactor;
  const emit = (e: ExecEvent) => {
    try {
      ctx.onEvent?.(e);
    } catch {
      // A broken progress display must not stop a step half way (or lose its audit entry).
    }
  };

  const settle = (s: Settled): StepOutcome => {
    const outcome: StepOutcome = {
      stepId: String(step.id),
      action: String(step.action),
      status: s.status,
      exitCode: s.exitCode,
      durationMs: s.durationMs,
      stdout: tail(s.stdout, OUTCOME_OUTPUT_CHARS),
      stderr: tail(s.stderr, OUTCOME_OUTPUT_CHARS),
      ...(s.reason !== undefined ? { reason: r.redact(s.reason) } : {}),
      ...(s.check ? { check: s.check } : {}),
      ...(s.approver !== null ? { approver: s.approver } : {}),
    };
    const output = combined(s.stdout, s.stderr);
    ctx.audit.append({
      time,
      deploymentId: ctx.deploymentId,
      host: ctx.host.name,
      environment: ctx.environment,
      stepId: outcome.stepId,
      action: outcome.action,
      args: redactArgs(step.args, r),
      decision: s.decision,
      rule: s.rule,
      status: s.status,
      ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
      approver: s.approver === null ? null : r.redact(s.approver),
      argv: redactArgv(s.argv, r),
      exitCode: s.exitCode,
      durationMs: s.durationMs,
      output: tail(output, AUDIT_OUTPUT_CHARS),
      outputSha256: sha256(output),
    });
    emit({ type: 'step-end', step, outcome });
    return outcome;
  };
  const elapsed = () => Math.round(performance.now() - started);
  const stop = (status: 'refused' | 'denied' | 'declined', reason: string, verdict: PolicyVerdict | null, approver: string | null, argv: unknown) =>
    settle({
      status,
      reason,
      approver,
      argv,
      decision: verdict?.decision ?? 'refused',
      rule: verdict?.rule ?? 'catalog',
      exitCode: null,
      durationMs: elapsed(),
      stdout: '',
      stderr: '',
    });

  // 1. The catalog.
  const g = gate(step, ctx);
  if (!g.ok) return stop('refused', g.reason, null, null, step.argv);
  const { argv, spec } = g;

  // 2. Policy, then a person when it asks.
  let verdict: PolicyVerdict;
  try {
    verdict = (ctx.policy ?? loadPolicy(ctx.actionCtx.flakeDir)).decide({ action: step.action, args: step.args, risk: spec.risk }, ctx.environment, { target: ctx.host.target });
  } catch (e) {
    // A policy that does not load decides nothing: fail closed.
    return settle({ status: 'refused', decision: 'refused', rule: 'policy', approver: null, argv, exitCode: null, durationMs: elapsed(), stdout: '', stderr: '', reason: (e as Error).message });
  }
  if (verdict.decision === 'deny') return stop('denied', `denied by policy rule '${verdict.rule}': ${verdict.reason}`, verdict, null, argv);
  const command = r.redact(displayStep({ argv, on: spec.on }, ctx.host.target));
  let approver = 'policy';
  if (verdict.decision === 'ask') {
    let answer: { approved: unknown; approver: unknown };
    try {
      answer = await ctx.approver({ step, host: ctx.host, command, verdict, typeHostName: ctx.environment === 'production' && spec.risk !== 'read' });
    } catch (e) {
      return stop('declined', `the approval failed: ${(e as Error).message}`, verdict, null, argv);
    }
    approver = typeof answer.approver === 'string' && answer.approver ? answer.approver : 'unknown';
    // Only a literal true approves (open-interpreter #1696: a truthy non-boolean ran everything).
    if (answer.approved !== true) return stop('declined', `not approved (${verdict.reason})`, verdict, approver, argv);
  }

  // 3. Run it: an argv, no shell, on this machine or over the host's transport.
  const input = spec.stdin ? String(step.args[spec.stdin]) : opts.input;
  const timeoutMs = Math.min(stepTimeoutMs(spec, ctx.host), opts.timeoutMs ?? Infinity);
  emit({ type: 'step-start', step, command });
  const streamed = ctx.onEvent ? outputStreams(step, r, emit) : undefined;
  const ranAt = performance.now();
  let result: RunResult | null = null;
  let failure: string | undefined;
  let fresh: Transport | undefined;
  try {
    const call = spec.rpc?.(step.args, ctx.actionCtx);
    if (call) {
      result = await runGatewayCall(call, ctx, timeoutMs);
    } else if (spec.on === 'local') {
      // `nix copy --to ssh://…` must reach the host with the same ssh options as the transport.
      result = await runLocal(argv, { timeoutMs, env: nixSshEnv(ctx.transport), ...(input !== undefined ? { input } : {}), ...(streamed ? { onOutput: streamed.onOutput } : {}) });
    } else {
      // The confirm proves a new login still works after the activation: never the shared connection.
      if (spec.freshConnection) fresh = ctx.freshTransport!();
      result = await (fresh ?? ctx.transport).run(argv, { timeoutMs, ...(input !== undefined ? { input } : {}), ...(streamed ? { onOutput: streamed.onOutput } : {}) });
    }
  } catch (e) {
    failure = (e as Error).message;
  } finally {
    await fresh?.close().catch(() => undefined);
  }
  const durationMs = result?.durationMs ?? Math.round(performance.now() - ranAt);

  // 4. Redact everything that leaves; the argv above was never touched.
  const stdout = r.redact(result?.stdout ?? '');
  const stderr = r.redact(result?.stderr ?? '');
  if (streamed?.seen()) streamed.end();
  else {
    // A transport that does not stream: the lines come at the end.
    for (const line of lines(stdout)) emit({ type: 'output', step, line });
    for (const line of lines(stderr)) emit({ type: 'output', step, line });
  }

  // 5. Checks: a check that parses as failed fails the step, whatever the exit code.
  const exitCode = result?.exitCode ?? null;
  const parsed = result ? parseCheck(step.action, { stdout: result.stdout, stderr: result.stderr, exitCode, args: step.args, host: ctx.host }) : undefined;
  const check = parsed && redactCheck(parsed, r);
  const ok = result !== null && !result.timedOut && exitCode === 0 && (check?.ok ?? true);
  let reason: string | undefined;
  if (failure !== undefined) reason = failure;
  else if (result?.timedOut) reason = `timed out after ${timeoutMs} ms`;
  else if (!ok) {
    // A sudo with no NOPASSWD rule: said as the host's configuration problem, not a failed command.
    const refused = spec.asProfileUser ? sudoRefusal(ctx.host, stderr) : behaviourOf(step.action).effect === 'prepares' ? untrustedCopy(ctx.host, stderr) : null;
    reason = refused ?? (check && !check.ok ? check.summary : `exit ${exitCode}${lastLine(stderr) ? `: ${lastLine(stderr)}` : ''}`);
  }

  // 6. The audit entry (in settle).
  return settle({
    status: ok ? 'ok' : 'failed',
    decision: verdict.decision,
    rule: verdict.rule,
    approver,
    argv,
    exitCode,
    durationMs,
    stdout,
    stderr,
    ...(reason !== undefined ? { reason } : {}),
    ...(check ? { check } : {}),
  });
}

/**
 * Output events while a step runs, one per line, each stream redacted line by line by a
 * redactor that keeps its state (a secret split across chunks, a PEM block over many lines).
 */
function outputStreams(step: Step, r: ExecContext['redactor'], emit: (e: ExecEvent) => void) {
  const make = () => ({ decoder: new StringDecoder('utf8'), lines: r.lines() });
  const streams = { stdout: make(), stderr: make() };
  let seen = false;
  const send = (text: string) => {
    for (const line of lines(text)) emit({ type: 'output', step, line });
  };
  return {
    onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => {
      seen = true;
      const s = streams[stream];
      send(s.lines.feed(s.decoder.write(chunk)));
    },
    seen: () => seen,
    end: () => {
      for (const s of Object.values(streams)) send(s.lines.feed(s.decoder.end()) + s.lines.end());
    },
  };
}
