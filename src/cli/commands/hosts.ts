import { resolve } from 'node:path';
import { selectHosts } from '../../core/fleet/select.js';
import { loadInventory } from '../../core/inventory/load.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { out } from '../output.js';
import { table } from '../table.js';

export async function hostsCommand(opts: { flake: string; json?: boolean; on?: string }): Promise<void> {
  const dir = resolve(opts.flake);
  assertFlakeDir(dir);
  const inv = await loadInventory(dir);
  const hosts = opts.on === undefined ? inv.hosts : selectHosts(opts.on, inv.hosts);
  if (opts.json) {
    out(JSON.stringify(hosts, null, 2));
    return;
  }
  if (!hosts.length) {
    out(`no hosts in ${dir}: add clawdeploy.hosts.<name> (or deploy-rs deploy.nodes.<name>) to the flake outputs`);
    return;
  }
  out(
    table(
      ['HOST', 'ENV', 'KIND', 'TARGET', 'PORT', 'CHANNELS', 'TAGS', 'PROFILE'],
      hosts.map((h) => [h.name, h.environment, h.kind, h.target, String(h.gateway.port), h.channels.join(',') || '-', h.tags?.join(',') || '-', h.profile]),
    ),
  );
}
