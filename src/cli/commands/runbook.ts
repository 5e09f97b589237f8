import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { loadHost } from '../../core/inventory/load.js';
import { parseRunbook, verifyRunbook } from '../../core/deploy/runbookCheck.js';
import { loadPolicy } from '../../core/exec/policy/index.js';
import { out } from '../output.js';

/** Checks a runbook against the catalog and the policy without running anything. */
export async function runbookVerifyCommand(file: string): Promise<void> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UserError(`${file}: no such file`);
  const rb = parseRunbook(readFileSync(path, 'utf8'), file);
  const host = await loadHost(rb.flakeDir, rb.plan.host.name);
  const problems = verifyRunbook(rb, host);
  const policy = loadPolicy(rb.flakeDir);
  for (const [phase, steps] of Object.entries(rb.plan.steps)) {
    for (const s of steps) {
      const v = policy.decide(s, host.environment);
      if (v.decision === 'deny') problems.push(`${phase} step ${s.id}: denied by policy rule ${v.rule}: ${v.reason}`);
    }
  }
  if (problems.length) {
    for (const p of problems) out(`INVALID ${p}`);
    process.exitCode = ExitCode.blocked;
    return;
  }
  const n = Object.values(rb.plan.steps).reduce((a, s) => a + s.length, 0);
  out(`runbook ${file}: valid (${n} steps for ${rb.plan.host.name}, plan ${rb.plan.hash})`);
}
