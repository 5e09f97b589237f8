import { resolve } from 'node:path';
import { loadHost } from '../../core/inventory/load.js';
import { drillHost } from '../../core/deploy/drill.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { openCliDeps } from '../deps.js';
import { out } from '../output.js';
import { refuseIfInterrupted } from '../interrupted.js';
import { parseDeadline } from '../deadline.js';

export async function drillCommand(hostName: string, opts: { flake: string; yes?: boolean; deadline?: string; sshConfig?: string }): Promise<void> {
  const deadlineSec = parseDeadline(opts.deadline);
  const flakeDir = resolve(opts.flake);
  assertFlakeDir(flakeDir);
  const host = await loadHost(flakeDir, hostName);
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: Boolean(opts.yes) }, deadlineSec });
  try {
    // A drill rolls back and forward: not on a host left half-deployed.
    refuseIfInterrupted(deps.records, hostName);
    const r = await drillHost({ host, flakeDir, knownGood: deps.records.knownGood(hostName) }, deps.deploy);
    out(r.message);
    process.exitCode = r.exitCode;
  } finally {
    deps.close();
  }
}
