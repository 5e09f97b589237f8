// `history --rollouts`: the recorded rollouts, each host with its generation before and after, its
// outcome and the checks of its last validation attempt (from its deployment's records).
import type { Records, Rollout } from '../../core/records/index.js';
import { table } from '../table.js';

export interface RolloutHostReport {
  host: string;
  wave: number;
  outcome: string;
  before: Rollout['hosts'][number]['before'];
  after: Rollout['hosts'][number]['after'];
  detail: string | null;
  deploymentId: string | null;
  failedCheck: string | null;
  /** The last validation attempt's checks: name and whether it passed. */
  checks: Array<{ name: string; ok: boolean; detail: string }>;
}

export function rolloutReport(records: Records, r: Rollout): Omit<Rollout, 'hosts'> & { hosts: RolloutHostReport[] } {
  return {
    ...r,
    hosts: r.hosts.map((h) => {
      const d = h.deploymentId ? records.get(h.deploymentId) : null;
      const last = Math.max(0, ...(d?.health ?? []).map((c) => c.attempt));
      return {
        host: h.host,
        wave: h.wave,
        outcome: h.outcome,
        before: h.before,
        after: h.after,
        detail: h.detail,
        deploymentId: h.deploymentId,
        failedCheck: d?.failedCheck ?? null,
        checks: (d?.health ?? []).filter((c) => c.attempt === last).map((c) => ({ name: c.name, ok: c.ok, detail: c.detail })),
      };
    }),
  };
}

type RolloutReport = ReturnType<typeof rolloutReport>;

/** One rollout for people: its line, then a row per host (wave -1: outside the waves, e.g. skipped). */
export function rolloutText(r: RolloutReport): string {
  const head = `rollout ${r.id.slice(0, 8)} ${r.selector}: ${r.outcome}, started ${r.startedAt.replace('T', ' ').slice(0, 19)}${r.detail ? `\n  ${r.detail.replace(/\s*\n\s*/g, ' ')}` : ''}`;
  const rows = r.hosts.map((h) => [
    h.host,
    h.wave < 0 ? '-' : String(h.wave + 1),
    h.outcome,
    `${h.before?.number ?? '-'} -> ${h.after?.number ?? '-'}`,
    h.checks.length ? `${h.checks.filter((c) => c.ok).length}/${h.checks.length} passed` : '-',
    (h.failedCheck ?? h.detail ?? '').replace(/\s*\n\s*/g, ' '),
  ]);
  return `${head}\n${table(['HOST', 'WAVE', 'OUTCOME', 'GENERATION', 'CHECKS', 'NOTE'], rows)}`;
}
