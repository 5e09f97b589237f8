import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { loadHost } from '../../core/inventory/load.js';
import type { RollbackProposal } from '../../core/deploy/rollback.js';
import { rollbackThroughService } from '../../core/deploy/recoveryService.js';
import { printHostEvents } from '../hostEvents.js';
import type { Change } from '../../core/plan/schema.js';
import { assertFlakeDir } from '../../core/pipeline/flakeFiles.js';
import { openCliDeps } from '../deps.js';
import { err, out } from '../output.js';
import { table } from '../table.js';
import { mark, timed } from '../../core/timing.js';
import { screenRedactor } from '../redactor.js';
import type { Host } from '../../core/inventory/schema.js';

export function renderProposal(p: RollbackProposal): string {
  const lines = ['Generations:'];
  lines.push(
    table(
      ['GEN', 'DATE', 'STORE PATH', ''],
      p.generations.map((g) => [
        String(g.number),
        g.date,
        g.storePath ?? '?',
        [g.current ? 'current' : '', g.lastKnownGood ? 'last known good' : '', g.number === p.target.number ? '<- target' : ''].filter(Boolean).join(', '),
      ]),
    ),
  );
  lines.push('', `Health now:`);
  for (const h of p.healthNow) lines.push(`  ${h.result.ok ? 'ok  ' : h.result.notRun ? '-   ' : 'FAIL'} ${h.check}: ${h.result.summary}`);
  lines.push('', `From generation ${p.current.number} to ${p.target.number}:`);
  if (p.changes) lines.push(...renderChanges(p.changes));
  else lines.push('  (pre-approved: worked out while the host switches, shown below)');
  lines.push('', 'Runtime state (sessions, pairing, memory) is not rolled back with the generation.');
  return lines.join('\n');
}

export function renderChanges(changes: Change[] | Error): string[] {
  if (changes instanceof Error) return [`  unknown: ${changes.message}`];
  if (!changes.length) return ['  no package or config change'];
  return changes.map((c) => `  - [${c.kind}] ${c.summary}`);
}

export interface RollbackCommandOptions {
  flake: string;
  to?: string;
  yes?: boolean;
  sshConfig?: string;
  /** Advice from the model (offline: the deterministic one) before the switch. */
  explain?: boolean;
  provider?: string;
  model?: string;
  baseUrl?: string;
}

/** Prints the advice on the proposal, streamed; from the model when one is configured. */
async function advise(p: RollbackProposal, host: Host, opts: RollbackCommandOptions): Promise<void> {
  const { resolveProviderConfig } = await import('../../core/llm/config.js');
  const { createProvider } = await import('../../core/llm/index.js');
  const { adviseIncident } = await import('../../core/assistant/incident.js');
  const config = resolveProviderConfig({ provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl });
  if (config.notice) err(config.notice);
  const redactor = screenRedactor();
  const label = config.provider === 'offline' ? 'offline, from the proposal' : `${config.provider} ${config.model}`;
  process.stdout.write(`\nAdvice (${label}):\n`);
  const advice = await adviseIncident({
    provider: createProvider(config),
    proposal: p,
    host,
    redact: (s) => redactor.redact(s),
    on: (e) => {
      if (e.type === 'text') process.stdout.write(e.delta);
      else if (e.type === 'retry') err(`(retrying in ${(e.waitMs / 1000).toFixed(1)} s: ${e.reason})`);
    },
  });
  process.stdout.write('\n');
  // The model's advice gets the instruction check its chat answers get: flagged, never passed on silently.
  const { flagModelText, flagsText } = await import('../../core/assistant/modelText.js');
  const flags = advice.source === 'model' ? flagModelText('advice', advice.text) : [];
  if (flags.length) err(flagsText(flags));
  const r = advice.result;
  if (r) err(`(1 call, ${r.usage.inputTokens} tokens in, ${r.usage.outputTokens} out${r.costUsd !== null ? `, $${r.costUsd.toFixed(4)}` : ''})`);
}

export async function rollbackCommand(hostName: string, opts: RollbackCommandOptions): Promise<void> {
  const flakeDir = resolve(opts.flake);
  assertFlakeDir(flakeDir);
  const to = opts.to === undefined ? undefined : Number(opts.to);
  if (to !== undefined && !(Number.isInteger(to) && to > 0)) throw new UserError(`--to ${opts.to}: a generation number`);
  mark('rollback command loaded');
  const host = await timed('load host', () => loadHost(flakeDir, hostName));
  if (opts.yes && host.environment === 'production') throw new UserError('--yes pre-approves staging hosts only: a production rollback asks for the host name');
  // In a terminal (and not pre-approved): the incident view of the ink session.
  if (process.stdout.isTTY && process.stdin.isTTY && !opts.yes) {
    process.exitCode = await (
      await (await import('../loadUi.js')).loadUi()
    ).runUi({
      flake: opts.flake,
      sshConfig: opts.sshConfig,
      host: hostName,
      incident: true,
      ...(to !== undefined ? { to } : {}),
      ...(opts.provider ? { provider: opts.provider } : {}),
      ...(opts.model ? { model: opts.model } : {}),
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
    });
    return;
  }
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: Boolean(opts.yes) } });
  try {
    mark('deps open');
    let shown: RollbackProposal | null = null;
    const r = await rollbackThroughService(
      {
        host,
        flakeDir,
        to,
        preApproved: Boolean(opts.yes),
        onProposal: async (p) => {
          shown = p;
          out(renderProposal(p));
          if (opts.explain) await advise(p, host, opts);
        },
        // Pre-approved: nothing waits for a person, so the switch does not wait for the diff
        // (unless advice on it was asked for).
        changesAfterSwitch: Boolean(opts.yes) && !opts.explain,
        onChanges: (c) => out([`What changed from generation ${shown?.current.number} to ${shown?.target.number}:`, ...renderChanges(c)].join('\n')),
      },
      deps,
      printHostEvents(deps, { notice: (text) => `clawdeploy: note: ${text}` }),
    );
    out(r.message);
    mark('done');
    process.exitCode = r.exitCode;
  } finally {
    deps.close();
  }
}
