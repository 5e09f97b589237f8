// Plan and apply a host from the interface, with the same gates, interrupted-deploy checks and
// ledger as `clawdeploy apply`; the explanation and answers come from the assistant session.
import { interruption } from '../../core/deploy/interrupted.js';
import type { IncidentChat } from '../../core/assistant/incident.js';
import { analyseHost } from '../../core/pipeline/planHost.js';
import { loadInventory } from '../../core/inventory/load.js';
import { applyPlan } from '../../core/deploy/apply.js';
import { checkGates } from '../../core/deploy/gates.js';
import { resolveProviderConfig } from '../../core/llm/config.js';
import { createProvider } from '../../core/llm/index.js';
import { AssistantSession, type SessionEvent } from '../../core/assistant/session.js';
import { transportFor } from '../../core/transport/index.js';
import type { Host } from '../../core/inventory/schema.js';
import type { Plan } from '../../core/plan/schema.js';
import type { ApprovalRequest } from '../../core/exec/types.js';
import { ExitCode } from '../../core/errors.js';
import { rowOf, settle } from './events.js';
import { who } from './approver.js';
import { messageOf, type UiContext } from './context.js';

export class DeploySession {
  private host: Host | null = null;
  private plan: Plan | null = null;
  private assistant: AssistantSession | null = null;
  /** In incident mode, questions go to the incident's conversation instead of the plan's. */
  private incident: IncidentChat | null = null;
  private asking: AbortController | null = null;
  /** Set when the last deploy of the host was interrupted: /apply then needs /resume, as in the CLI. */
  private interrupted: string | null = null;

  constructor(private readonly ctx: UiContext) {}

  async open(name: string): Promise<void> {
    const { store, deps } = this.ctx;
    store.set({
      mode: 'planning',
      host: name,
      panel: 'plan',
      banners: [],
      result: null,
      steps: [],
      health: null,
      explanation: '',
      answer: '',
      running: { label: `planning ${name}: evaluating, building, reading the host`, startedAt: Date.now(), lastLine: '' },
    });
    try {
      const unfinished = interruption(deps.records, name, '/resume');
      if (unfinished?.running) throw new Error(unfinished.message);
      if (unfinished) {
        this.interrupted = unfinished.message;
        store.set({ banners: [{ text: this.interrupted, tone: 'warn' }] });
      }
      const { plan, host } = await analyseHost({
        flakeDir: this.ctx.flakeDir,
        hostName: name,
        sshConfig: this.ctx.opts.sshConfig,
        redact: this.ctx.redact,
        lastDeployedRev: deps.records.lastDeployedRev(name),
      });
      this.plan = plan;
      this.host = host;
      const steps = [...plan.steps.apply.map((s) => rowOf(s, 'apply')), ...plan.steps.validate.map((s) => rowOf(s, 'validate'))];
      store.set({ mode: 'plan', plan, steps, running: null });
      const config = resolveProviderConfig({ provider: this.ctx.opts.provider, model: this.ctx.opts.model, baseUrl: this.ctx.opts.baseUrl });
      if (config.notice) store.set({ notice: this.ctx.redact(config.notice) });
      const storeUrl = host && host.target !== 'local' ? transportFor(host.target, { sshConfig: this.ctx.opts.sshConfig }).storeUrl : null;
      const ctxAction = host ? { host, storeUrl, flakeDir: this.ctx.flakeDir } : null;
      this.assistant = new AssistantSession({ provider: createProvider(config), plan, host, ctx: ctxAction, redactor: this.ctx.deps.deploy.redactor });
      await this.stream((on, signal) => this.assistant!.explain(on, signal), 'explanation');
    } catch (e) {
      store.set({ mode: 'error', running: null, banners: [...store.get().banners, { text: messageOf(this.ctx, e), tone: 'bad' }], exitCode: ExitCode.failed });
    }
  }

  /** A question in the context of the plan; the answer streams below the plan. */
  async ask(question: string): Promise<void> {
    if (this.ctx.store.get().incident) {
      if (!this.incident) return this.ctx.store.set({ answer: 'Questions are answered once the generations, the health now and the diff are on screen.' });
      return this.stream((on, signal) => this.incident!.ask(question, on, signal), 'answer');
    }
    if (!this.assistant) return this.ctx.store.set({ answer: 'No plan yet: questions are answered once the plan is on screen.' });
    await this.stream((on, signal) => this.assistant!.ask(question, on, signal), 'answer');
  }

  /** "e" on a confirmation: what this exact step does. */
  explainStep(req: ApprovalRequest): Promise<void> {
    return this.ask(
      `Before I approve step ${req.step.id} (${req.step.action}, ${req.step.risk}): ${req.step.reason}. The command: ${req.command}. What does it change, what can go wrong, how is it undone?`,
    );
  }

  /** The incident view's conversation (set when its proposal is on screen). */
  useIncident(chat: IncidentChat | null): void {
    this.incident = chat;
  }

  cancelAsk(): boolean {
    if (!this.asking) return false;
    this.asking.abort();
    return true;
  }

  private async stream(fn: (on: (e: SessionEvent) => void, signal: AbortSignal) => Promise<string>, field: 'explanation' | 'answer'): Promise<void> {
    const { store } = this.ctx;
    this.asking?.abort();
    const controller = new AbortController();
    this.asking = controller;
    store.set({ [field]: '', asking: true });
    try {
      await fn((e) => {
        if (e.type === 'text') store.set((s) => ({ [field]: s[field] + e.delta }));
        else if (e.type === 'notice') store.set({ notice: e.text });
        else if (e.type === 'retry') store.set({ notice: `retrying in ${(e.waitMs / 1000).toFixed(1)} s: ${e.reason}` });
      }, controller.signal);
    } catch (e) {
      store.set({ notice: messageOf(this.ctx, e) });
    } finally {
      if (this.asking === controller) this.asking = null;
      store.set({ asking: false });
    }
  }

  /** `/apply` (or `/resume` after an interrupted deploy). */
  async apply(resume = false): Promise<void> {
    const { store, deps } = this.ctx;
    const plan = this.plan;
    const host = this.host;
    const say = (text: string, tone: 'bad' | 'warn' | 'ok' | 'info', exitCode: number) => store.set((s) => ({ banners: [...s.banners, { text, tone }], exitCode }));
    if (!plan || store.get().mode !== 'plan') return;
    if (this.interrupted && !resume) return say(this.interrupted, 'warn', ExitCode.badInput);
    if (plan.status === 'blocked' || !host) {
      // Recorded like the CLI does: a blocked attempt is part of the host's history.
      const id = deps.deploy.ledger.start({
        host: plan.host.name,
        environment: host?.environment ?? 'staging',
        target: host?.target ?? '',
        kind: host?.kind ?? '',
        operation: 'apply',
        flakeDir: this.ctx.flakeDir,
        flakeRev: plan.flake.target.rev,
        dirty: plan.flake.target.dirty,
        lockHash: plan.flake.lockHash,
        planHash: plan.hash,
        generationBefore: plan.generations.current,
        approver: null,
      });
      deps.deploy.ledger.finish(id, 'blocked', { failedCheck: plan.findings.find((f) => f.severity === 'block')?.message ?? 'blocked' });
      return say('blocked: nothing was changed; fix the blocking findings and plan again', 'bad', ExitCode.blocked);
    }
    if (plan.status === 'no-change') return say(`nothing to deploy: ${host.name} already runs this generation`, 'info', ExitCode.ok);
    if (host.environment === 'production') {
      const gates = checkGates(plan, host, (await loadInventory(this.ctx.flakeDir)).hosts, deps.gates);
      const failed = gates.filter((g) => !g.ok);
      if (failed.length) return say(`promotion refused, nothing was changed: ${failed.map((g) => `${g.gate}: ${g.message}${g.fix ? ` (${g.fix})` : ''}`).join('; ')}`, 'bad', ExitCode.blocked);
    }
    store.set({ mode: 'applying', panel: 'steps', stop: null, health: null });
    try {
      const r = await applyPlan({ plan, host, flakeDir: this.ctx.flakeDir, approvedBy: who() }, deps.deploy);
      const ok = r.outcome === 'succeeded';
      store.set((s) => ({
        mode: 'done',
        steps: settle(s.steps),
        running: null,
        result: { ok, message: this.ctx.redact(r.message) },
        exitCode: r.exitCode,
        panel: s.health?.length ? 'health' : 'steps',
      }));
    } catch (e) {
      store.set((s) => ({ mode: 'done', steps: settle(s.steps), running: null, result: { ok: false, message: messageOf(this.ctx, e) }, exitCode: ExitCode.failed }));
    }
  }
}
