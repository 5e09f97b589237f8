// Plan and apply a host from the interface through the core's deploy service (the same path as
// `clawdeploy apply`); the explanation and answers come from the assistant session.
import type { IncidentChat } from '../../core/assistant/incident.js';
import { deployOpened, openDeploy, type HostEvent, type OpenedDeploy } from '../../core/deploy/service.js';
import { resolveProviderConfig } from '../../core/llm/config.js';
import { createProvider } from '../../core/llm/index.js';
import { AssistantSession, type SessionEvent } from '../../core/assistant/session.js';
import { transportForHost } from '../../core/transport/forHost.js';
import type { ApprovalRequest } from '../../core/exec/types.js';
import { ExitCode } from '../../core/errors.js';
import { reduceEvent, rowOf, settle } from './events.js';
import { who } from './approver.js';
import { messageOf, type UiContext } from './context.js';

export class DeploySession {
  /** The plan on screen, its host and whether the host's last deploy was interrupted (/apply then needs /resume, as in the CLI). */
  private opened: OpenedDeploy | null = null;
  private assistant: AssistantSession | null = null;
  /** In incident mode, questions go to the incident's conversation instead of the plan's. */
  private incident: IncidentChat | null = null;
  private asking: AbortController | null = null;

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
      const { plan, host, interrupted } = await openDeploy({ flakeDir: this.ctx.flakeDir, hostName: name, redact: this.ctx.redact, resumeHint: '/resume' }, deps);
      this.opened = { plan, host, interrupted };
      if (interrupted) store.set({ banners: [{ text: interrupted.message, tone: 'warn' }] });
      const steps = [...plan.steps.apply.map((s) => rowOf(s, 'apply')), ...plan.steps.validate.map((s) => rowOf(s, 'validate'))];
      store.set({ mode: 'plan', plan, steps, running: null });
      const config = resolveProviderConfig({ provider: this.ctx.opts.provider, model: this.ctx.opts.model, baseUrl: this.ctx.opts.baseUrl });
      if (config.notice) store.set({ notice: this.ctx.redact(config.notice) });
      const storeUrl = host && host.target !== 'local' ? transportForHost(host, { sshConfig: this.ctx.opts.sshConfig }).storeUrl : null;
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

  /** `/apply` (or `/resume` after an interrupted deploy): the core's one deploy path. */
  async apply(resume = false): Promise<void> {
    const { store, deps } = this.ctx;
    const say = (text: string, tone: 'bad' | 'warn' | 'ok' | 'info', exitCode: number) => store.set((s) => ({ banners: [...s.banners, { text: this.ctx.redact(text), tone }], exitCode }));
    let opened = this.opened;
    if (!opened || store.get().mode !== 'plan') return;
    const name = opened.plan.host.name;
    const on = (e: HostEvent) => {
      if (e.type === 'deploy') store.set((s) => reduceEvent(s, e.event));
      else if (e.type === 'notice') say(e.text, e.tone, store.get().exitCode ?? ExitCode.ok);
    };
    store.set({ mode: 'applying', panel: 'steps', stop: null, health: null });
    try {
      if (resume && opened.interrupted) {
        // Resuming waits for a leftover watchdog and plans again: the host may have reverted since the plan on screen.
        store.set({ running: { label: `resuming ${name}: the watchdog, then a new plan`, startedAt: Date.now(), lastLine: '' } });
        opened = this.opened = await openDeploy({ flakeDir: this.ctx.flakeDir, hostName: name, redact: this.ctx.redact, resume: true, resumeHint: '/resume' }, deps, on);
        const plan = opened.plan;
        store.set({ plan, steps: [...plan.steps.apply.map((s) => rowOf(s, 'apply')), ...plan.steps.validate.map((s) => rowOf(s, 'validate'))], running: null });
      }
      const r = await deployOpened(opened, { flakeDir: this.ctx.flakeDir, approvedBy: who(), resume }, deps, on);
      if (r.outcome === 'refused' || r.outcome === 'blocked' || r.outcome === 'no-change') {
        // Nothing was changed: the plan stays on screen.
        store.set({ mode: 'plan', panel: 'plan', running: null });
        return say(r.message, r.outcome === 'no-change' ? 'info' : r.outcome === 'refused' ? 'warn' : 'bad', r.exitCode);
      }
      if (r.deploymentId) this.opened = null;
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
