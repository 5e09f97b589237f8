// Goal dry-activate, during planning: the new build is put into the host's store (an ssh host's;
// nothing runs it) and asked, read-only, what activating it would stop, restart and start.
import type { Host } from '../inventory/schema.js';
import type { Change, Finding } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { validateAction, type ActionContext } from '../plan/catalog.js';
import { copyToHost } from '../nix/copyTo.js';
import { dryActivationFacts, parseDryActivation } from '../analysis/dryActivate.js';

export async function dryActivation(
  host: Host,
  t: Transport,
  ctx: ActionContext,
  storePath: string,
  /** copy: the build is in this machine's store and must reach the host's first (not when built there). */
  o: { gatewayRunning: boolean; redact: (text: string) => string; copy: boolean },
): Promise<{ changes: Change[]; findings: Finding[] }> {
  const v = validateAction('dry-activate', { storePath }, ctx);
  if (!v.ok) throw new Error(`clawdeploy proposed an invalid step: ${v.reason}`);
  if (o.copy) await copyToHost(t, [storePath]);
  const r = await t.run(v.argv, { timeoutMs: v.spec.timeoutMs });
  // NixOS prints the lists on stderr; both streams are read.
  const output = o.redact(`${r.stderr}\n${r.stdout}`);
  if (r.exitCode !== 0) {
    const last =
      output
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .at(-1) ?? `exit ${r.exitCode}`;
    return { changes: [], findings: [{ code: 'dry-activate-failed', severity: 'warn', message: `dry-activate of the new build failed on '${host.name}' (exit ${r.exitCode}): ${last}` }] };
  }
  return dryActivationFacts(parseDryActivation(output), host.gateway.unit, o.gatewayRunning);
}
