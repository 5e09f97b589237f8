// The host as one of its generations configures the gateway. The inventory describes the flake's
// working tree; a rollback, a drill or the automatic rollback validates an older generation,
// whose gateway may listen on another port with other channels and plugins. What is checked
// comes from the generation being validated (its rendered openclaw.json), never from the tree.
import { pluginsInLoadPaths } from '../analysis/configChannels.js';
import { isRecord } from '../analysis/util.js';
import { renderedConfigIn } from '../preflight/layout.js';
import type { Transport } from '../transport/types.js';
import { channelsOf } from './derive.js';
import type { Host } from './schema.js';

/** `host` with the gateway port, channels and runtime plugins of a rendered config (unchanged where the config says nothing). */
export function hostAsConfigured(host: Host, config: unknown): Host {
  if (!isRecord(config)) return host;
  const gateway = isRecord(config['gateway']) ? config['gateway'] : {};
  const p = gateway['port'];
  const port = typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535 ? p : host.gateway.port;
  return {
    ...host,
    gateway: { ...host.gateway, port },
    // Checks of the gateway's own port move with it; checks of other ports stay.
    healthChecks: { ...host.healthChecks, http: host.healthChecks.http.map((c) => (c.port === host.gateway.port ? { ...c, port } : c)) },
    channels: channelsOf(config),
    runtimePlugins: pluginsInLoadPaths(config),
  };
}

/**
 * Reads a generation's rendered config on the host (a store path, or the profile for the one it
 * points at now) and gives the host as that generation configures it; the host unchanged when
 * the config cannot be read (the checks then say what does not answer).
 */
export async function generationHost(host: Host, transport: Transport, generation: string): Promise<Host> {
  try {
    const r = await transport.run(['cat', renderedConfigIn(host, generation)], { timeoutMs: 15_000 });
    return r.exitCode === 0 ? hostAsConfigured(host, JSON.parse(r.stdout) as unknown) : host;
  } catch {
    return host;
  }
}
