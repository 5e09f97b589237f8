// Incident mode: `clawdeploy rollback HOST` in a terminal. The generations (last known good
// marked), the health now and the diff to the target come first (onProposal); then the switch
// steps ask through the same confirm prompt; then the verification fills the health table.
import { loadHost } from '../../core/inventory/load.js';
import { rollbackThroughService } from '../../core/deploy/recoveryService.js';
import { ExitCode } from '../../core/errors.js';
import { reduceEvent, settle } from './events.js';
import { resolveProviderConfig } from '../../core/llm/config.js';
import { createProvider } from '../../core/llm/index.js';
import { adviseIncident, IncidentChat } from '../../core/assistant/incident.js';
import { messageOf, type UiContext } from './context.js';

export async function runIncident(ctx: UiContext, name: string, onChat?: (chat: IncidentChat) => void): Promise<void> {
  const { store, deps } = ctx;
  store.set({
    mode: 'planning',
    incident: true,
    host: name,
    panel: 'generations',
    phase: null,
    running: { label: `reading the generations, the health now and the diff of ${name}`, startedAt: Date.now(), lastLine: '' },
  });
  try {
    const host = await loadHost(ctx.flakeDir, name);
    store.set({ environment: host.environment });
    // As the CLI's rollback (the same service): a running deploy refuses, an interrupted one is said (this is its way out).
    const r = await rollbackThroughService(
      {
        host,
        flakeDir: ctx.flakeDir,
        resumeHint: '/resume',
        ...(ctx.opts.to !== undefined ? { to: ctx.opts.to } : {}),
        // The proposal, then advice on it (the model's, else worked out from the proposal)
        // before the first step asks; advice that fails is said and does not stop the rollback.
        onProposal: async (p) => {
          store.set({ mode: 'applying', proposal: p, explanation: '', running: { label: 'advice on the target', startedAt: Date.now(), lastLine: '' } });
          try {
            const config = resolveProviderConfig({ provider: ctx.opts.provider, model: ctx.opts.model, baseUrl: ctx.opts.baseUrl });
            const provider = createProvider(config);
            onChat?.(new IncidentChat({ provider, proposal: p, host, redact: ctx.redact }));
            await adviseIncident({ provider, proposal: p, host, redact: ctx.redact, on: (e) => e.type === 'text' && store.set((s) => ({ explanation: s.explanation + e.delta })) });
          } catch (e) {
            store.set((s) => ({ banners: [...s.banners, { text: `no advice: ${messageOf(ctx, e)}`, tone: 'warn' }] }));
          }
          store.set({ running: null });
        },
      },
      deps,
      (e) => {
        if (e.type === 'deploy') store.set((s) => reduceEvent(s, e.event));
        else if (e.type === 'notice') store.set((s) => ({ banners: [...s.banners, { text: ctx.redact(e.text), tone: e.tone }] }));
      },
    );
    const ok = r.outcome === 'succeeded';
    store.set((s) => ({ mode: 'done', steps: settle(s.steps), running: null, result: { ok, message: ctx.redact(r.message) }, exitCode: r.exitCode, panel: ok || s.health ? 'health' : 'generations' }));
  } catch (e) {
    store.set((s) => ({ mode: 'error', running: null, banners: [...s.banners, { text: messageOf(ctx, e), tone: 'bad' }], exitCode: ExitCode.failed }));
  }
}
