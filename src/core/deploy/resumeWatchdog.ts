// `apply --resume` on a host whose interrupted deploy left its watchdog armed: the watchdog is
// honoured before anything is planned (see honourWatchdog).
import type { Host } from '../inventory/schema.js';
import { createRunner } from './runner.js';
import { execContext, openTransports, type DeployDeps } from './apply.js';
import { honourWatchdog } from './watchdogFlow.js';

export async function honourBeforeResume(host: Host, flakeDir: string, deps: DeployDeps, say: (message: string) => void): Promise<void> {
  // Only ssh hosts get a watchdog.
  if (!host.target.startsWith('ssh://')) return;
  const { transport, fresh } = openTransports(host, deps.sshConfig, deps.connections);
  try {
    await honourWatchdog(createRunner(execContext(host, transport, fresh, flakeDir, deps, null), null, null), say);
  } finally {
    await transport.close();
  }
}
