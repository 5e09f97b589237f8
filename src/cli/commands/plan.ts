import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { planHost } from '../../core/pipeline/planHost.js';
import { openRecords } from '../../core/records/index.js';
import { warnIfInterrupted } from '../interrupted.js';
import { runbookJson, runbookMarkdown } from '../../core/plan/runbook.js';
import { renderPlanText } from '../render/planText.js';
import type { Plan } from '../../core/plan/schema.js';
import { screenRedactor } from '../redactor.js';
import { out, err } from '../output.js';

export interface PlanCommandOptions {
  flake: string;
  base?: string;
  json?: boolean;
  runbook?: string;
  sshConfig?: string;
  explain?: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
}

/** The model's explanation of a plan (or the offline template), for the runbook and the screen. */
async function explanation(plan: Plan, opts: PlanCommandOptions, redactor: ReturnType<typeof screenRedactor>): Promise<string> {
  const { resolveProviderConfig } = await import('../../core/llm/config.js');
  const { createProvider } = await import('../../core/llm/index.js');
  const { AssistantSession } = await import('../../core/assistant/session.js');
  const config = resolveProviderConfig({ provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl });
  if (config.notice) err(config.notice);
  const session = new AssistantSession({ provider: createProvider(config), plan, host: null, ctx: null, redactor });
  const text = await session.explain();
  const label = session.offline ? 'offline, templated' : `${config.provider} ${config.model}`;
  return `## Explanation (${label})\n\n${text.trim()}\n`;
}

/** The sidecar of FILE.md is FILE.json. */
export function sidecarPath(markdownPath: string): string {
  return markdownPath.replace(/\.md$/i, '') + '.json';
}

/** The base of the plan: what the host last got, from the records (none yet is fine). Says if a deploy there was interrupted. */
function lastDeployedRev(host: string): string | null {
  try {
    const records = openRecords();
    try {
      warnIfInterrupted(records, host);
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
  const explained = opts.explain ? await explanation(plan, opts, redactor) : null;
  if (opts.runbook) {
    const md = resolve(opts.runbook);
    const body = runbookMarkdown(plan, flakeDir);
    // The explanation goes after the facts: reviewers read what will run, then the commentary.
    writeFileSync(md, redactor.redact(explained ? body.replace(/\n## Changes\n/, `\n${explained}\n## Changes\n`) : body));
    writeFileSync(sidecarPath(md), redactor.redact(runbookJson(plan, flakeDir)));
    err(`runbook written: ${md} (+ ${sidecarPath(md)})`);
  }
  out(opts.json ? `${JSON.stringify(plan, null, 2)}` : renderPlanText(plan));
  if (explained && !opts.json) out(explained);
  if (plan.status === 'blocked') process.exitCode = ExitCode.blocked;
}
