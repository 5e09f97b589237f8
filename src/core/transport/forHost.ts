// The transport to an inventory host: its target with its own ssh options (deploy-rs's `sshOpts`),
// so every ssh and `nix copy` (NIX_SSHOPTS, from the same options) reaches it the same way.
import type { Host } from '../inventory/schema.js';
import { transportFor, type TransportOptions } from './index.js';
import type { Transport } from './types.js';

export function transportForHost(host: Pick<Host, 'name' | 'target' | 'sshOpts'>, opts: TransportOptions = {}): Transport {
  return transportFor(host.target, { name: host.name, ...opts, ...(host.sshOpts?.length ? { extraOptions: host.sshOpts } : {}) });
}
