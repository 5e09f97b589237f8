// The host picker's rows: the inventory at once, then each host's generation, gateway health
// and drift read in the background (read-only preflight), "…" until known.
import { loadInventory } from '../../core/inventory/load.js';
import { preflight } from '../../core/preflight/preflight.js';
import { transportForHost } from '../../core/transport/forHost.js';
import type { Host } from '../../core/inventory/schema.js';
import type { HostRow } from './state.js';
import { messageOf, type UiContext } from './context.js';

export async function loadHosts(ctx: UiContext): Promise<void> {
  const { store } = ctx;
  try {
    const inv = await loadInventory(ctx.flakeDir);
    store.set({ hosts: inv.hosts.map((h) => ({ name: h.name, environment: h.environment, target: h.target, generation: null, health: null, drift: null })) });
    await Promise.all(inv.hosts.map((h) => readHost(ctx, h)));
  } catch (e) {
    store.set({ mode: 'error', banners: [{ text: messageOf(ctx, e), tone: 'bad' }] });
  }
}

async function readHost(ctx: UiContext, host: Host): Promise<void> {
  const patch = (p: Partial<HostRow>) => ctx.store.set((s) => ({ hosts: s.hosts.map((r) => (r.name === host.name ? { ...r, ...p } : r)) }));
  const t = transportForHost(host, { sshConfig: ctx.opts.sshConfig });
  try {
    const st = await preflight(host, t);
    const drift = st.findings.filter((f) => f.code.startsWith('drift-'));
    patch({
      generation: st.current ? String(st.current.number) : 'none',
      health: st.gateway.running ? `up ${st.gateway.version ?? ''}`.trim() : 'down',
      drift: drift.length ? drift.map((f) => f.code.replace('drift-', '')).join(',') : 'none',
    });
  } catch (e) {
    patch({ generation: '?', health: 'unreachable', drift: '?' });
    ctx.store.set((s) => ({ notice: s.notice ?? `${host.name}: ${messageOf(ctx, e)}` }));
  } finally {
    await t.close();
  }
}
