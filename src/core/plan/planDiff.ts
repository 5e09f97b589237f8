// How a reviewed plan (a runbook's, a proposal's) differs from a fresh plan of the same host,
// named precisely: what moved on the host or in the flake ("stale"), and what differs in the
// plan itself (its status, findings, changes and steps). Pure; used by `runbook verify` and by
// `apply --runbook` through deploy/runbookCheck.ts.
import type { Plan } from './schema.js';
import { canonicalJson, planHash } from './hash.js';
import { stepDifferences } from './stepDiff.js';

/** Every difference, runbook first; empty when the fresh plan is the reviewed plan. */
export function planDifferences(reviewed: Plan, planned: Plan): string[] {
  if (planHash(reviewed as unknown as Record<string, unknown>) === planHash(planned as unknown as Record<string, unknown>)) return [];
  const moved = [...factDifferences(reviewed, planned), ...statusDifferences(reviewed, planned)];
  const out = [...moved, ...findingDifferences(reviewed, planned)];
  // Once the host or the flake moved, or the plan's status changed, its steps are expected to
  // differ: listing each would bury the cause. The plan invariants (deploy/runbookCheck.ts)
  // still hold the runbook's steps on their own.
  if (!moved.length) out.push(...changeDifferences(reviewed, planned), ...stepDifferences(reviewed.steps, planned.steps));
  if (!out.length && canonicalJson(reviewed.summary) !== canonicalJson(planned.summary)) out.push('its summary is not the one a fresh plan writes');
  if (!out.length) out.push('stale: a fresh plan differs from the reviewed one; plan again and review');
  return out;
}

const rev = (r: string | null) => r?.slice(0, 12) ?? 'no commit';
const gen = (g: Plan['generations']['current']) => (g ? `generation ${g.number} (${g.storePath})` : 'no generation');
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/** The host and flake facts a plan is made from: when one differs, the plan is stale. */
function factDifferences(r: Plan, p: Plan): string[] {
  const out: string[] = [];
  for (const k of ['name', 'environment', 'target', 'kind', 'profile'] as const) {
    if (r.host[k] !== p.host[k]) out.push(`stale: host ${k} is now ${p.host[k] ?? 'unknown'}, the runbook has ${r.host[k] ?? 'unknown'}`);
  }
  const where = (x: Plan) => (x.buildOnTarget ? 'on the host' : 'here');
  if (where(r) !== where(p)) out.push(`the runbook builds ${where(r)}, a fresh plan ${where(p)}`);
  if ((r.goal ?? 'switch') !== (p.goal ?? 'switch')) out.push(`the goal is ${r.goal ?? 'switch'} in the runbook, ${p.goal ?? 'switch'} in a fresh plan`);
  const hostMoved = !same(r.generations.current, p.generations.current);
  if (hostMoved) out.push(`stale: the host now runs ${gen(p.generations.current)}, the runbook expected ${gen(r.generations.current)}`);
  if (r.flake.target.rev !== p.flake.target.rev || r.flake.target.dirty !== p.flake.target.dirty) {
    const at = (t: Plan['flake']['target']) => `${rev(t.rev)}${t.dirty ? ' + changes' : ''}`;
    out.push(`stale: the flake is now at ${at(p.flake.target)}, the runbook was made at ${at(r.flake.target)}`);
  }
  if (r.flake.lockHash !== p.flake.lockHash) out.push('stale: flake.lock changed');
  const rn = r.generations.next;
  const pn = p.generations.next;
  if (rn?.storePath !== pn?.storePath) out.push(`stale: the flake now builds ${pn?.storePath ?? 'nothing'}, the runbook installs ${rn?.storePath ?? 'nothing'}`);
  // The new number follows from the current generation: said only when that did not move.
  else if (rn && pn && rn.number !== pn.number && !hostMoved) out.push(`stale: the new generation would now be number ${pn.number}, the runbook has ${rn.number}`);
  if (r.flake.base.rev !== p.flake.base.rev || r.flake.base.source !== p.flake.base.source) {
    out.push(`stale: the base revision moved (${rev(r.flake.base.rev)}, ${r.flake.base.source} → ${rev(p.flake.base.rev)}, ${p.flake.base.source})`);
  }
  return out;
}

function statusDifferences(r: Plan, p: Plan): string[] {
  return r.status === p.status ? [] : [`the plan is ${r.status} in the runbook, ${p.status} now`];
}

function findingDifferences(r: Plan, p: Plan): string[] {
  const key = (f: Plan['findings'][number]) => canonicalJson(f);
  const before = new Set(r.findings.map(key));
  const now = new Set(p.findings.map(key));
  return [
    ...r.findings.filter((f) => !now.has(key(f))).map((f) => `finding ${f.code} (${f.severity}) in the runbook is not found now: ${f.message}`),
    ...p.findings.filter((f) => !before.has(key(f))).map((f) => `finding ${f.code} (${f.severity}) is new since the runbook: ${f.message}`),
  ];
}

function changeDifferences(r: Plan, p: Plan): string[] {
  const key = (c: Plan['changes'][number]) => canonicalJson(c);
  const before = new Set(r.changes.map(key));
  const now = new Set(p.changes.map(key));
  return [
    ...r.changes.filter((c) => !now.has(key(c))).map((c) => `change (${c.kind}) in the runbook is not planned: ${c.summary}`),
    ...p.changes.filter((c) => !before.has(key(c))).map((c) => `change (${c.kind}) planned is not in the runbook: ${c.summary}`),
  ];
}
