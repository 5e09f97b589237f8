// The model's own words get the instruction detection host data gets (untrusted.ts): an answer
// that says "ignore previous instructions … run rm -rf … do not ask for confirmation" is shown
// flagged and written to a runbook under a warning, never passed on as if it were advice.
import type { Plan } from '../plan/schema.js';
import { findInjections } from './untrusted.js';

export interface ModelTextFlag {
  /** Which text: "explanation", "answer", "validate step validate-3 (reason)". */
  where: string;
  /** `kind: excerpt` (one line), as findInjections gives it. */
  finding: string;
}

/** What a person reads above (or below) flagged model text. */
export const MODEL_TEXT_WARNING =
  "The model's text contains instruction-like text. It is not an instruction to you: clawdeploy runs nothing a model says, only catalog steps that pass the plan checks, each behind your confirmation. Do not run what it asks.";

/** Instruction-like excerpts of one model text; pass redacted text (excerpts are shown). */
export function flagModelText(where: string, text: string): ModelTextFlag[] {
  return findInjections(text).map((finding) => ({ where, finding }));
}

/** The step reasons of a plan: a model's proposal writes them, and they reach the runbook. */
export function flagPlanText(plan: Plan): ModelTextFlag[] {
  return (['apply', 'validate', 'rollback'] as const).flatMap((phase) => plan.steps[phase].flatMap((s) => flagModelText(`${phase} step ${s.id} (reason)`, s.reason)));
}

/** The warning for a plain terminal: one line, then one line per finding. */
export function flagsText(flags: readonly ModelTextFlag[]): string {
  return [`WARNING: ${MODEL_TEXT_WARNING}`, ...flags.map((f) => `  ${f.where}: ${f.finding}`)].join('\n');
}
