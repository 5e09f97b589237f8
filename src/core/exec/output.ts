// Bounding and redacting what leaves the executor (outcome, events, audit). Redaction always
// runs over the whole text first and only then is it cut, so no secret straddles a cut.
import { createHash } from 'node:crypto';
import type { Redactor } from '../redact/index.js';

/** Output kept in a StepOutcome, per stream (the tail: errors come last). */
export const OUTCOME_OUTPUT_CHARS = 16 * 1024;
/** Output excerpt kept in an audit entry. */
export const AUDIT_OUTPUT_CHARS = 4 * 1024;
const ARG_CHARS = 2048;
const MAX_ITEMS = 64;

export function tail(text: string, max: number): string {
  if (text.length <= max) return text;
  return `[… ${text.length - max} characters cut]\n${text.slice(-max)}`;
}

function head(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}[… ${text.length - max} characters cut]`;
}

/** The combined text the audit hashes: stdout, then stderr after a marker line. */
export function combined(stdout: string, stderr: string): string {
  return stderr ? `${stdout}${stdout && !stdout.endsWith('\n') ? '\n' : ''}--- stderr ---\n${stderr}` : stdout;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Arguments as proposed, redacted and bounded for the log (a step may come from a hostile runbook). */
export function redactArgs(args: unknown, r: Redactor): Record<string, unknown> {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return head(r.redact(v), ARG_CHARS);
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
    if (depth > 4) return '[… nested too deep]';
    if (Array.isArray(v)) return v.slice(0, MAX_ITEMS).map((x) => walk(x, depth + 1));
    if (typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as object)
          .slice(0, MAX_ITEMS)
          .map(([k, x]) => [head(r.redact(k), 128), walk(x, depth + 1)]),
      );
    }
    return head(r.redact(String(v)), ARG_CHARS);
  };
  const out = walk(args, 0);
  return typeof out === 'object' && out !== null && !Array.isArray(out) ? (out as Record<string, unknown>) : { value: out };
}

/** An argv for the log: redacted copies of its words (the argv that runs is never touched). */
export function redactArgv(argv: unknown, r: Redactor): string[] {
  if (!Array.isArray(argv)) return [];
  return argv.slice(0, 256).map((w) => head(r.redact(String(w)), ARG_CHARS * 2));
}

export function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out.at(-1) === '') out.pop();
  return out;
}

export function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  );
}
