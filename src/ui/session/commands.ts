// A line from the input: a slash command, or a question for the assistant. Reads the store when
// it runs (Enter may arrive in the same read as the keys before it).
import type { UiContext } from './context.js';
import type { DeploySession } from './deploy.js';
import type { Panel } from './state.js';
import { runIncident } from './incident.js';
import { panelsOf } from '../layout.js';

export function runCommand(raw: string, { ctx, deploy, exit }: { ctx: UiContext; deploy: DeploySession; exit: () => void }): void {
  const text = raw.trim();
  if (!text) return;
  const { store } = ctx;
  const s = store.get();
  const busy = s.mode === 'applying' || s.confirm !== null;
  const panels = panelsOf(s);
  const cmd = text.toLowerCase();
  if (cmd === '/quit' || cmd === '/exit' || cmd === '/q') return busy ? store.set({ interrupt: true }) : exit();
  if (cmd === '/apply' || cmd === '/resume') return void deploy.apply(cmd === '/resume');
  if (cmd === '/rollback' && s.host && !busy) {
    store.set({ incident: true, steps: [], health: null, proposal: null, result: null, banners: [], plan: null, stop: null });
    return void runIncident(ctx, s.host, (chat) => deploy.useIncident(chat));
  }
  const panel = cmd.slice(1) as Panel;
  if (cmd.startsWith('/') && panels.includes(panel)) return store.set({ panel, scroll: 0 });
  if (cmd.startsWith('/')) return store.set({ notice: `commands: /apply, /resume, /rollback, /${panels.join(', /')}, /quit; anything else is a question` });
  void deploy.ask(text);
}
