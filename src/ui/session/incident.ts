// Incident mode: `clawdeploy rollback HOST` in a terminal. The generations (last known good
// marked), the health now and the diff to the target come first (onProposal); then the switch
// steps ask through the same confirm prompt; then the verification fills the health table.
import { loadHost } from '../../core/inventory/load.js';
import { rollbackHost } from '../../core/deploy/rollback.js';
import { ExitCode } from '../../core/errors.js';
import { settle } from './events.js';
import { messageOf, type UiContext } from './context.js';

export async function runIncident(ctx: UiContext, name: string): Promise<void> {
  const { store, deps } = ctx;
  store.set({ mode: 'planning', incident: true, host: name, panel: 'generations', phase: null, running: { label: `reading the generations, the health now and the diff of ${name}`, startedAt: Date.now(), lastLine: '' } });
  try {
    const host = await loadHost(ctx.flakeDir, name);
    store.set({ environment: host.environment });
    deps.records.findInterrupted(name);
    const r = await rollbackHost(
      {
        host,
        flakeDir: ctx.flakeDir,
        ...(ctx.opts.to !== undefined ? { to: ctx.opts.to } : {}),
        lastKnownGood: deps.records.lastKnownGood(name),
        onProposal: (p) => store.set({ mode: 'applying', proposal: p, running: null }),
      },
      deps.deploy,
    );
    const ok = r.outcome === 'succeeded';
    store.set((s) => ({ mode: 'done', steps: settle(s.steps), running: null, result: { ok, message: ctx.redact(r.message) }, exitCode: r.exitCode, panel: ok || s.health ? 'health' : 'generations' }));
  } catch (e) {
    store.set((s) => ({ mode: 'error', running: null, banners: [...s.banners, { text: messageOf(ctx, e), tone: 'bad' }], exitCode: ExitCode.failed }));
  }
}
