// The one-command smoke test: gateway status, health, readiness and every channel's probe,
// once, as a table. Read-only. A host that does not answer at all is an error, not a table.
import type { Host } from '../inventory/schema.js';
import { createRunner } from './runner.js';
import { execContext, openTransports, type DeployDeps } from './apply.js';
import { healthNow, type NamedCheck } from './rollback.js';
import { assertReachable } from '../transport/reachable.js';

export interface SmokeResult {
  ok: boolean;
  checks: NamedCheck[];
}

export async function smokeHost(host: Host, flakeDir: string, deps: DeployDeps): Promise<SmokeResult> {
  const { transport, fresh } = openTransports(host, deps.sshConfig);
  try {
    // An unreachable host is bad input (exit 2), not a failed smoke test.
    await assertReachable(transport, host.name);
    const runner = createRunner(execContext(host, transport, fresh, flakeDir, deps, null), null, null);
    const checks = await healthNow(runner);
    return { ok: checks.every((c) => c.result.ok), checks };
  } finally {
    await transport.close();
  }
}
