import { openRecords } from '../../core/records/index.js';
import { out } from '../output.js';
import { table } from '../table.js';
import { rolloutReport, rolloutText } from './rolloutHistory.js';

export async function historyCommand(hostName: string | undefined, opts: { json?: boolean; limit?: string; rollouts?: boolean }): Promise<void> {
  const records = openRecords(undefined, { access: 'read' });
  try {
    records.findInterrupted(hostName);
    const rows = records.history(hostName, opts.limit ? Number(opts.limit) : 20);
    const rollouts = records.rollouts(opts.limit ? Number(opts.limit) : 20).filter((r) => !hostName || r.hosts.some((h) => h.host === hostName));
    if (opts.rollouts) {
      const reports = rollouts.map((r) => rolloutReport(records, r));
      if (opts.json) out(JSON.stringify(reports, null, 2));
      else if (!reports.length) out(hostName ? `no rollouts recorded for ${hostName}` : 'no rollouts recorded yet');
      else out(reports.map(rolloutText).join('\n\n'));
      return;
    }
    // Which rollout a deployment was part of, for --json and the table.
    const partOf = new Map(rollouts.flatMap((r) => r.hosts.filter((h) => h.deploymentId).map((h) => [h.deploymentId!, r.id.slice(0, 8)] as const)));
    if (opts.json) {
      out(
        JSON.stringify(
          rows.map((d) => ({ ...d, rollout: partOf.get(d.id) ?? null })),
          null,
          2,
        ),
      );
      return;
    }
    if (!rows.length && !rollouts.length) {
      out(hostName ? `no deployments recorded for ${hostName}` : 'no deployments recorded yet');
      return;
    }
    out(
      table(
        ['STARTED', 'HOST', 'OPERATION', 'OUTCOME', 'GENERATION', 'REVISION', 'BY', 'NOTE'],
        rows.map((d) => [
          d.startedAt.replace('T', ' ').slice(0, 19),
          d.host,
          d.operation,
          d.outcome,
          `${d.generationBefore?.number ?? '-'} -> ${d.generationAfter?.number ?? '-'}`,
          d.flakeRev ? `${d.flakeRev.slice(0, 10)}${d.dirty ? '+' : ''}` : '-',
          d.approver ?? '-',
          // The whole note on one line: the cause is what a person came to read.
          `${partOf.has(d.id) ? `[rollout ${partOf.get(d.id)}] ` : ''}${(d.failedCheck ?? '').replace(/\s*\n\s*/g, ' ')}`.trim(),
        ]),
      ),
    );
    if (rollouts.length) {
      out('');
      out(
        table(
          ['STARTED', 'ROLLOUT', 'SELECTOR', 'OUTCOME', 'HOSTS', 'NOTE'],
          rollouts.map((r) => {
            const done = r.hosts.filter((h) => h.outcome === 'succeeded' || h.outcome === 'no-change').length;
            // A NixOS boot deploy is done, but its generation runs only after a reboot.
            const nextBoot = r.hosts.filter((h) => h.outcome === 'applied-for-next-boot').length;
            return [
              r.startedAt.replace('T', ' ').slice(0, 19),
              r.id.slice(0, 8),
              r.selector,
              r.outcome,
              `${done}/${r.hosts.length} current${nextBoot ? `, ${nextBoot} for the next boot` : ''}`,
              (r.detail ?? '').replace(/\s*\n\s*/g, ' '),
            ];
          }),
        ),
      );
    }
  } finally {
    records.close();
  }
}
