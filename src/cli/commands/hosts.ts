import { resolve } from 'node:path';
import { loadInventory } from '../../core/inventory/load.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { out } from '../output.js';
import { table } from '../table.js';

export async function hostsCommand(opts: { flake: string; json?: boolean }): Promise<void> {
  const dir = resolve(opts.flake);
  assertFlakeDir(dir);
  const inv = await loadInventory(dir);
  if (opts.json) {
    out(JSON.stringify(inv.hosts, null, 2));
    return;
  }
  if (!inv.hosts.length) {
    out(`no hosts in ${dir}: add clawdeploy.hosts.<name> (or deploy-rs deploy.nodes.<name>) to the flake outputs`);
    return;
  }
  out(
    table(
      ['HOST', 'ENV', 'KIND', 'TARGET', 'PORT', 'CHANNELS', 'PROFILE'],
      inv.hosts.map((h) => [h.name, h.environment, h.kind, h.target, String(h.gateway.port), h.channels.join(',') || '-', h.profile]),
    ),
  );
}
