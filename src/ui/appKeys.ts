// The session screen's keys, under any prompt: Ctrl-C, panels, the host picker, scrolling and
// the question input. Each key reads the store as it is now, so the keys of one read (Down and
// Enter in the picker) act in order on what the previous one did.
import type { Key } from './input/keys.js';
import type { Field } from './input/useField.js';
import type { Store } from './session/store.js';
import type { Panel, UiState } from './session/state.js';
import { panelsOf } from './layout.js';

export interface AppKeys {
  store: Store;
  deploy: { open(name: string): Promise<void>; cancelAsk(): boolean };
  field: Field;
  rows: number;
  exit: () => void;
  submit: (text: string) => void;
}

/** The question input is on screen (no picker, no prompt). */
export const inputFocus = (s: UiState) => s.mode !== 'picker' && !s.confirm && !s.interrupt;

export function appKey(key: Key, a: AppKeys): boolean {
  const { store } = a;
  const s = store.get();
  const setPanel = (panel: Panel) => store.set({ panel, scroll: 0 });
  if (key.kind === 'ctrl' && key.ch === 'c') {
    if (s.mode === 'applying' || s.confirm) store.set({ interrupt: true });
    else if (!a.deploy.cancelAsk()) a.exit();
    return true;
  }
  if (s.interrupt) return true;
  const panels = panelsOf(s);
  if (key.kind === 'tab' || key.kind === 'backtab') {
    const i = panels.indexOf(s.panel);
    setPanel(panels[(i + (key.kind === 'backtab' ? panels.length - 1 : 1)) % panels.length] ?? panels[0]!);
    return true;
  }
  if (key.kind === 'ctrl' && key.ch === 'o') {
    setPanel(s.panel === 'output' ? (s.incident ? 'generations' : 'steps') : 'output');
    return true;
  }
  if (s.mode === 'picker') return pickerKey(key, s, a);
  const page = Math.max(1, a.rows - 10);
  if (key.kind === 'pagedown' || key.kind === 'down') store.set({ scroll: s.scroll + (key.kind === 'pagedown' ? page : 1) });
  else if (key.kind === 'pageup' || key.kind === 'up') store.set({ scroll: Math.max(0, s.scroll - (key.kind === 'pageup' ? page : 1)) });
  else if (!inputFocus(s)) return false;
  else if (key.kind === 'return') a.submit(a.field.take());
  else return a.field.edit(key);
  return true;
}

function pickerKey(key: Key, s: UiState, a: AppKeys): boolean {
  if (key.kind === 'up') a.store.set({ selected: Math.max(0, s.selected - 1) });
  else if (key.kind === 'down') a.store.set({ selected: Math.max(0, Math.min(s.hosts.length - 1, s.selected + 1)) });
  else if (key.kind === 'return') {
    const h = s.hosts[s.selected];
    if (h) void a.deploy.open(h.name);
  } else return false;
  return true;
}
