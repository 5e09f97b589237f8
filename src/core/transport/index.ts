// Picks the transport for an inventory target: "local" or ssh://[user@]host[:port].
import { UserError } from '../errors.js';
import { createLocalTransport } from './local.js';
import { createSshTransport, type SshTransportOptions } from './ssh.js';
import type { Transport } from './types.js';

export type TransportOptions = Omit<SshTransportOptions, 'target'>;

export function transportFor(target: string, opts: TransportOptions = {}): Transport {
  if (target === 'local') return createLocalTransport();
  if (target.startsWith('ssh://')) return createSshTransport({ ...opts, target });
  throw new UserError(`unknown target '${target}': expected "local" or ssh://[user@]host[:port]`);
}

export { createLocalTransport, runLocal, TIMEOUT_EXIT_CODE } from './local.js';
export { createSshTransport, nixSshEnv, isSshTransport, HostUnreachableError } from './ssh.js';
export type { SshTransport, SshTransportOptions } from './ssh.js';
export { assertReachable } from './reachable.js';
export { transportForHost } from './forHost.js';
export { hostConnections, type HostConnections } from './shared.js';
export { waitForHost, type Reconnected } from './reconnect.js';
export { watchLink, LINK_PROBE_MS, type LinkWatch } from './linkWatch.js';
export { parseSshTarget, type SshTarget } from './target.js';
export { toRemoteCommand, MAX_REMOTE_COMMAND_BYTES } from './quote.js';
export { scrubEnv, isSecretEnvName, SECRET_ENV_RULES } from './env.js';
export type { RunOptions, RunResult, Transport } from './types.js';
