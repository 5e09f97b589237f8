import { ExitCode } from '../../core/errors.js';
import { staleness, verifyRunbook } from '../../core/deploy/runbookCheck.js';
import { readRunbookFile } from '../../core/deploy/runbookFile.js';
import { loadPolicy } from '../../core/exec/policy/index.js';
import { analyseHost } from '../../core/pipeline/planHost.js';
import { lastDeployedRev } from '../lastDeployedRev.js';
import { screenRedactor } from '../redactor.js';
import { out } from '../output.js';

export interface RunbookVerifyOptions {
  sshConfig?: string;
}

/**
 * Checks a runbook without changing anything: against the catalog, the plan invariants and the
 * policy, and against a fresh (read-only) plan, so an edit with a recomputed hash is named.
 */
export async function runbookVerifyCommand(file: string, opts: RunbookVerifyOptions = {}): Promise<void> {
  const rb = readRunbookFile(file);
  const name = rb.plan.host.name;
  const redactor = screenRedactor();
  // The same analysis `apply --runbook` makes before it runs anything.
  const fresh = await analyseHost({
    flakeDir: rb.flakeDir,
    hostName: name,
    sshConfig: opts.sshConfig,
    redact: (s) => redactor.redact(s),
    lastDeployedRev: lastDeployedRev(name),
    // Planned with the goal it was reviewed with, whatever the inventory's default is now.
    goal: rb.plan.goal ?? 'switch',
    buildOnTarget: Boolean(rb.plan.buildOnTarget),
  });
  // No host: the flake holds a live secret and was not evaluated; the differences say so.
  const problems = fresh.host ? verifyRunbook(rb, fresh.host) : [];
  if (fresh.host) {
    const policy = loadPolicy(rb.flakeDir);
    for (const [phase, steps] of Object.entries(rb.plan.steps)) {
      for (const s of steps) {
        const v = policy.decide(s, fresh.host.environment);
        if (v.decision === 'deny') problems.push(`${phase} step ${s.id}: denied by policy rule ${v.rule}: ${v.reason}`);
      }
    }
  }
  problems.push(...staleness(rb.plan, fresh.plan));
  if (problems.length) {
    for (const p of problems) out(`INVALID ${p}`);
    process.exitCode = ExitCode.blocked;
    return;
  }
  const n = Object.values(rb.plan.steps).reduce((a, s) => a + s.length, 0);
  out(`runbook ${file}: valid (${n} steps for ${name}, plan ${rb.plan.hash}; a fresh plan is the same plan)`);
}
