import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { planHost } from '../../core/pipeline/planHost.js';
import { openRecords } from '../../core/records/index.js';
import { runbookJson, runbookMarkdown } from '../../core/plan/runbook.js';
import { renderPlanText } from '../render/planText.js';
import { screenRedactor } from '../redactor.js';
import { out, err } from '../output.js';

export interface PlanCommandOptions {
  flake: string;
  base?: string;
  json?: boolean;
  runbook?: string;
  sshConfig?: string;
}

/** The sidecar of FILE.md is FILE.json. */
export function sidecarPath(markdownPath: string): string {
  return markdownPath.replace(/\.md$/i, '') + '.json';
}

/** The base of the plan: what the host last got, from the records (none yet is fine). */
function lastDeployedRev(host: string): string | null {
  try {
    const records = openRecords();
    try {
      return records.lastDeployedRev(host);
    } finally {
      records.close();
    }
  } catch {
    return null;
  }
}

export async function planCommand(hostName: string, opts: PlanCommandOptions): Promise<void> {
  const flakeDir = resolve(opts.flake);
  const redactor = screenRedactor();
  const plan = await planHost({ flakeDir, hostName, base: opts.base, sshConfig: opts.sshConfig, redact: (s) => redactor.redact(s), lastDeployedRev: lastDeployedRev(hostName) });
  if (opts.runbook) {
    const md = resolve(opts.runbook);
    writeFileSync(md, redactor.redact(runbookMarkdown(plan, flakeDir)));
    writeFileSync(sidecarPath(md), redactor.redact(runbookJson(plan, flakeDir)));
    err(`runbook written: ${md} (+ ${sidecarPath(md)})`);
  }
  out(opts.json ? `${JSON.stringify(plan, null, 2)}` : renderPlanText(plan));
  if (plan.status === 'blocked') process.exitCode = ExitCode.blocked;
}
