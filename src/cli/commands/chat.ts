// `clawdeploy chat [HOST]` in a plain terminal: the plan, the explanation streaming in, then
// questions; /propose, /runbook, /apply and /rollback act through the same gates as the CLI.
// The ink interface uses the same session core.
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { openDeploy } from '../../core/deploy/service.js';
import { openCliDeps } from '../deps.js';
import { resolveProviderConfig } from '../../core/llm/config.js';
import { createProvider } from '../../core/llm/index.js';
import { AssistantSession, type SessionEvent } from '../../core/assistant/session.js';
import { loadTranscript, newTranscript, saveTranscript } from '../../core/assistant/transcript.js';
import { flagsText } from '../../core/assistant/modelText.js';
import { runbookJson, runbookMarkdown } from '../../core/plan/runbook.js';
import type { Plan } from '../../core/plan/schema.js';
import { renderPlanText } from '../render/planText.js';
import { screenRedactor } from '../redactor.js';
import { out, err } from '../output.js';

export interface ChatOptions {
  flake: string;
  provider?: string;
  model?: string;
  baseUrl?: string;
  resume?: string;
  sshConfig?: string;
}

const HELP = 'questions in plain words; /propose (model steps, validated), /runbook FILE.md, /apply, /rollback, /plan, /quit';

export async function chatCommand(hostName: string | undefined, opts: ChatOptions): Promise<void> {
  // In a terminal: the ink session (a resumed transcript stays in the line interface).
  if (process.stdout.isTTY && process.stdin.isTTY && !opts.resume) {
    process.exitCode = await (await (await import('../loadUi.js')).loadUi()).runUi({ ...opts, ...(hostName ? { host: hostName } : {}) });
    return;
  }
  const redactor = screenRedactor();
  const redact = (s: string) => redactor.redact(s);
  const resumed = opts.resume ? loadTranscript(opts.resume) : null;
  const name = hostName ?? resumed?.host;
  if (!name) throw new UserError('chat: name a HOST (or --resume a transcript)');
  const config = resolveProviderConfig({ provider: opts.provider, model: opts.model, baseUrl: opts.baseUrl });
  if (config.notice) err(config.notice);
  const flakeDir = resolve(opts.flake);
  // Planned as `apply` plans (the last deployed revision is the base), so /apply finds the same plan.
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: false }, quiet: true });
  const opened = await openDeploy({ flakeDir, hostName: name, redact }, deps).finally(() => deps.close());
  const { plan, host } = opened;
  if (opened.interrupted) err(`note: ${opened.interrupted.message}`);
  const ctx = host ? { host, storeUrl: null as string | null, flakeDir } : null;
  if (ctx && host && host.target !== 'local') ctx.storeUrl = (await import('../../core/transport/forHost.js')).transportForHost(host, { sshConfig: opts.sshConfig }).storeUrl;
  const session = new AssistantSession({ provider: createProvider(config), plan, host, ctx, redactor, history: resumed?.messages });
  const transcript = resumed ?? newTranscript({ host: name, planHash: plan.hash, provider: config.provider, model: config.provider === 'offline' ? 'deterministic' : config.model });
  let current: Plan = plan;
  let controller: AbortController | null = null;

  // A resumed conversation keeps counting from what it had used before.
  const before = { ...transcript.usage };
  const save = () => {
    const total = session.meter.total();
    transcript.messages = session.messages;
    transcript.templates = [...new Set([...transcript.templates, ...session.templates])];
    const cost = before.costUsd === null && total.costUsd === null ? null : (before.costUsd ?? 0) + (total.costUsd ?? 0);
    transcript.usage = { calls: before.calls + total.calls, inputTokens: before.inputTokens + total.usage.inputTokens, outputTokens: before.outputTokens + total.usage.outputTokens, costUsd: cost };
    saveTranscript(transcript, redact);
  };
  const show = (e: SessionEvent) => {
    if (e.type === 'text') process.stdout.write(e.delta);
    else if (e.type === 'notice') err(`note: ${e.text}`);
    else if (e.type === 'retry') err(`(retrying in ${(e.waitMs / 1000).toFixed(1)} s: ${e.reason})`);
    else if (e.type === 'flagged') err(`\n${flagsText(e.flags)}`);
  };
  const usage = () => {
    const t = session.meter.total();
    if (t.calls) err(`(${t.calls} call${t.calls === 1 ? '' : 's'}, ${t.usage.inputTokens} tokens in, ${t.usage.outputTokens} out${t.costUsd !== null ? `, $${t.costUsd.toFixed(4)}` : ''})`);
  };
  /** Runs a model call that Ctrl-C cancels without leaving the session. */
  const call = async <T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T | null> => {
    controller = new AbortController();
    try {
      return await fn(controller.signal);
    } catch (e) {
      err(`\n${e instanceof Error ? e.message : String(e)}`);
      return null;
    } finally {
      controller = null;
      process.stdout.write('\n');
      save();
    }
  };

  out(renderPlanText(plan));
  if (!resumed) await call((signal) => session.explain(show, signal));
  usage();
  err(HELP);

  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  rl.on('SIGINT', () => {
    if (controller) controller.abort();
    else rl.close();
  });
  rl.setPrompt('> ');
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (!line) {
      rl.prompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    if (line === '/plan') out(renderPlanText(current));
    else if (line === '/propose') {
      const r = await call((signal) => session.propose(show, signal));
      if (r) {
        current = r.plan;
        out(`${r.source === 'model' ? 'The model proposed this plan; it passed the catalog and the plan checks' : 'The deterministic plan stands'}:`);
        out(renderPlanText(current));
      }
    } else if (line.startsWith('/runbook')) {
      const file = resolve(line.split(/\s+/)[1] ?? 'runbook.md');
      writeFileSync(file, redact(runbookMarkdown(current, flakeDir)));
      writeFileSync(file.replace(/\.md$/i, '') + '.json', redact(runbookJson(current, flakeDir)));
      out(`runbook written: ${file} (review it, then: clawdeploy apply --runbook ${file.replace(/\.md$/i, '')}.json)`);
    } else if (line === '/apply') {
      rl.pause();
      const { applyCommand } = await import('./apply.js');
      const t = session.meter.total();
      await applyCommand(name, {
        flake: opts.flake,
        sshConfig: opts.sshConfig,
        ...(current !== plan ? { proposed: current } : {}),
        ...(t.calls
          ? {
              usage: {
                transcriptId: transcript.id,
                provider: config.provider,
                model: config.model,
                calls: t.calls,
                inputTokens: t.usage.inputTokens,
                outputTokens: t.usage.outputTokens,
                costUsd: t.costUsd,
              },
            }
          : {}),
      }).catch((e: unknown) => err(e instanceof Error ? e.message : String(e)));
      // The outcome was said above; the conversation goes on, so its exit code is not the apply's.
      process.exitCode = 0;
      rl.resume();
    } else if (line === '/rollback') {
      rl.pause();
      const { rollbackCommand } = await import('./rollback.js');
      await rollbackCommand(name, { flake: opts.flake, sshConfig: opts.sshConfig }).catch((e: unknown) => err(e instanceof Error ? e.message : String(e)));
      process.exitCode = 0;
      rl.resume();
    } else if (line.startsWith('/')) err(HELP);
    else await call((signal) => session.ask(line, show, signal));
    usage();
    rl.prompt();
  }
  rl.close();
  save();
  err(`transcript ${transcript.id.slice(0, 8)} saved; continue with: clawdeploy chat --resume ${transcript.id.slice(0, 8)} --flake ${opts.flake}`);
}
