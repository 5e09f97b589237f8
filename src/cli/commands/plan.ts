import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { planHost } from '../../core/pipeline/planHost.js';
import { lastDeployedRev } from '../lastDeployedRev.js';
import { runbookFlags, runbookJson, runbookMarkdown } from '../../core/plan/runbook.js';
import { explanationSection, warningBlock, type Explanation } from '../../core/plan/runbookModelText.js';
import { renderPlanText } from '../render/planText.js';
import type { Plan } from '../../core/plan/schema.js';
import { screenRedactor } from '../redactor.js';
import { out, err } from '../output.js';
import { parseGoal } from '../goalFlag.js';

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
  /** --goal (NixOS): switch, test, boot or dry-activate. */
  goal?: string;
  /** --build-on-target: build in the host's store, copy no closure from here. */
  buildOnTarget?: boolean;
}

/** The model's explanation of a plan (or the offline template), for the runbook and the screen. */
async function explanation(plan: Plan, opts: PlanCommandOptions, redactor: ReturnType<typeof screenRedactor>): Promise<Explanation> {
  const { resolveProviderConfig } = await import('../../core/llm/config.js');
  const { createProvider } = await import('../../core/llm/index.js');
  const { AssistantSession } = await import('../../core/assistant/session.js');
  const config = resolveProviderConfig({ provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl });
  if (config.notice) err(config.notice);
  const session = new AssistantSession({ provider: createProvider(config), plan, host: null, ctx: null, redactor });
  const text = await session.explain();
  return { label: session.offline ? 'offline, templated' : `${config.provider} ${config.model}`, text };
}

/** The sidecar of FILE.md is FILE.json. */
export function sidecarPath(markdownPath: string): string {
  return markdownPath.replace(/\.md$/i, '') + '.json';
}

export async function planCommand(hostName: string, opts: PlanCommandOptions): Promise<void> {
  const flakeDir = resolve(opts.flake);
  const redactor = screenRedactor();
  const goal = parseGoal(opts.goal);
  const plan = await planHost({
    flakeDir,
    hostName,
    base: opts.base,
    sshConfig: opts.sshConfig,
    redact: (s) => redactor.redact(s),
    lastDeployedRev: lastDeployedRev(hostName),
    ...(goal ? { goal } : {}),
    ...(opts.buildOnTarget ? { buildOnTarget: true } : {}),
  });
  const explained = opts.explain ? await explanation(plan, opts, redactor) : null;
  const extras = explained ? { explanation: explained } : {};
  if (opts.runbook) {
    const md = resolve(opts.runbook);
    writeFileSync(md, redactor.redact(runbookMarkdown(plan, flakeDir, extras)));
    writeFileSync(sidecarPath(md), redactor.redact(runbookJson(plan, flakeDir, extras)));
    err(`runbook written: ${md} (+ ${sidecarPath(md)})`);
  }
  out(opts.json ? `${JSON.stringify(plan, null, 2)}` : renderPlanText(plan));
  if (explained && !opts.json) {
    // Flagged model text is said on screen as in the runbook, never passed on silently.
    const flags = runbookFlags(plan, extras).filter((f) => f.where === 'explanation');
    out([...warningBlock(flags), ...explanationSection(explained, flags)].join('\n'));
  }
  if (plan.status === 'blocked') process.exitCode = ExitCode.blocked;
}
