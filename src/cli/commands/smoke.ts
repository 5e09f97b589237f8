import { warnIfInterrupted } from '../interrupted.js';
import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { loadHost } from '../../core/inventory/load.js';
import { smokeHost } from '../../core/deploy/smoke.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { openCliDeps } from '../deps.js';
import { out } from '../output.js';
import { table } from '../table.js';

export async function smokeCommand(hostName: string, opts: { flake: string; json?: boolean; sshConfig?: string }): Promise<void> {
  const flakeDir = resolve(opts.flake);
  assertFlakeDir(flakeDir);
  const host = await loadHost(flakeDir, hostName);
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: false }, quiet: true });
  try {
    warnIfInterrupted(deps.records, hostName);
    const r = await smokeHost(host, flakeDir, deps.deploy);
    if (opts.json) out(JSON.stringify(r, null, 2));
    else {
      const rows: string[][] = [];
      for (const c of r.checks) {
        rows.push([c.result.ok ? 'ok' : c.result.notRun ? '-' : 'FAIL', c.check, c.result.summary]);
        for (const item of c.result.items ?? []) rows.push([item.ok ? 'ok' : 'FAIL', `  ${item.name}`, item.detail]);
      }
      out(table(['', 'CHECK', 'RESULT'], rows));
      out(r.ok ? `smoke ${hostName}: all checks pass` : `smoke ${hostName}: FAILED`);
    }
    if (!r.ok) process.exitCode = ExitCode.failed;
  } finally {
    deps.close();
  }
}
