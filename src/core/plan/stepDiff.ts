// How the steps of a reviewed plan differ from a fresh plan's, phase by phase, in words a
// reviewer can check: a step added or removed, an argument changed, the order changed.
import type { Plan, Step } from './schema.js';
import { canonicalJson } from './hash.js';

const PHASES = ['apply', 'validate', 'rollback'] as const;
type Phase = (typeof PHASES)[number];

export function stepDifferences(reviewed: Plan['steps'], planned: Plan['steps']): string[] {
  return PHASES.flatMap((phase) => phaseDifferences(phase, reviewed[phase], planned[phase]));
}

const argsKey = (s: Step) => `${s.action} ${canonicalJson(s.args)}`;

/**
 * Pairs each reviewed step (by index) with a planned one: identical action and arguments
 * first, then the same action in order, so a changed argument reads as a change, not as one
 * step removed and another added.
 */
function pairSteps(reviewed: Step[], planned: Step[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  for (const same of [(a: Step, b: Step) => argsKey(a) === argsKey(b), (a: Step, b: Step) => a.action === b.action]) {
    reviewed.forEach((r, i) => {
      if (pairs.has(i)) return;
      const j = planned.findIndex((p, k) => !taken.has(k) && same(r, p));
      if (j < 0) return;
      pairs.set(i, j);
      taken.add(j);
    });
  }
  return pairs;
}

function phaseDifferences(phase: Phase, reviewed: Step[], planned: Step[]): string[] {
  const pairs = pairSteps(reviewed, planned);
  const out: string[] = [];
  const inOrder = [...pairs.entries()].sort(([a], [b]) => a - b);
  if (inOrder.some(([, j], k) => k > 0 && j < inOrder[k - 1]![1])) {
    const planOrder = [...inOrder].sort(([, a], [, b]) => a - b);
    out.push(`${phase} steps reordered: ${inOrder.map(([i]) => reviewed[i]!.action).join(', ')} in the runbook; ${planOrder.map(([, j]) => planned[j]!.action).join(', ')} planned`);
  }
  for (const [i, j] of inOrder) out.push(...stepChanges(`${phase} step ${i + 1} (${reviewed[i]!.action})`, reviewed[i]!, planned[j]!));
  reviewed.forEach((s, i) => {
    if (!pairs.has(i)) out.push(`${phase} step ${i + 1} (${s.action}) added: it is not planned`);
  });
  const kept = new Set(pairs.values());
  planned.forEach((s, j) => {
    if (!kept.has(j)) out.push(`${phase} step ${s.action} removed (step ${j + 1} of a fresh plan)`);
  });
  return out;
}

const ARG_NAMES: Record<string, string> = { storePath: 'store path' };

function show(v: unknown): string {
  if (v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.length ? v.join(', ') : 'none';
  return JSON.stringify(v);
}

/** What differs between two steps of the same action; the id is positional, so not compared. */
function stepChanges(label: string, r: Step, p: Step): string[] {
  const out: string[] = [];
  const keys = [...new Set([...Object.keys(r.args), ...Object.keys(p.args)])].sort();
  for (const k of keys) {
    if (canonicalJson(r.args[k]) !== canonicalJson(p.args[k])) out.push(`${label}: ${ARG_NAMES[k] ?? k} ${show(r.args[k])} in the runbook, ${show(p.args[k])} planned`);
  }
  // Same arguments, other command: the argv is what runs, so it is said on its own.
  if (!out.length && canonicalJson(r.argv) !== canonicalJson(p.argv)) out.push(`${label}: command \`${r.argv.join(' ')}\` in the runbook, \`${p.argv.join(' ')}\` planned`);
  if (r.on !== p.on) out.push(`${label}: runs on ${r.on} in the runbook, on ${p.on} planned`);
  if (r.risk !== p.risk) out.push(`${label}: risk ${r.risk} in the runbook, ${p.risk} planned`);
  if (r.reason !== p.reason) out.push(`${label}: reason "${r.reason}" in the runbook, "${p.reason}" planned`);
  return out;
}
