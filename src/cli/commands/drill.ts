import { resolve } from 'node:path';
import { loadHost } from '../../core/inventory/load.js';
import { drillThroughService } from '../../core/deploy/recoveryService.js';
import { printHostEvents } from '../hostEvents.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { openCliDeps } from '../deps.js';
import { out } from '../output.js';
import { parseDeadline } from '../deadline.js';

export async function drillCommand(hostName: string, opts: { flake: string; yes?: boolean; deadline?: string; sshConfig?: string }): Promise<void> {
  const deadlineSec = parseDeadline(opts.deadline);
  const flakeDir = resolve(opts.flake);
  assertFlakeDir(flakeDir);
  const host = await loadHost(flakeDir, hostName);
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: Boolean(opts.yes) }, deadlineSec });
  try {
    const r = await drillThroughService({ host, flakeDir }, deps, printHostEvents(deps));
    out(r.message);
    process.exitCode = r.exitCode;
  } finally {
    deps.close();
  }
}
