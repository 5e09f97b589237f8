import { openRecords } from '../../core/records/index.js';
import { out } from '../output.js';
import { table } from '../table.js';

export async function historyCommand(hostName: string | undefined, opts: { json?: boolean; limit?: string }): Promise<void> {
  const records = openRecords(undefined, { access: 'read' });
  try {
    records.findInterrupted(hostName);
    const rows = records.history(hostName, opts.limit ? Number(opts.limit) : 20);
    if (opts.json) {
      out(JSON.stringify(rows, null, 2));
      return;
    }
    if (!rows.length) {
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
          (d.failedCheck ?? '').replace(/\s*\n\s*/g, ' '),
        ]),
      ),
    );
  } finally {
    records.close();
  }
}
