// A tiny external store: core callbacks (events, approvals) write, React reads through
// useSyncExternalStore. No other state library.
import { useSyncExternalStore } from 'react';
import { initialState, type UiState } from './state.js';

export class Store {
  private state: UiState;
  private readonly listeners = new Set<() => void>();

  constructor(init: Partial<UiState> = {}) {
    this.state = initialState(init);
  }

  get = (): UiState => this.state;

  set(patch: Partial<UiState> | ((s: UiState) => Partial<UiState>)): void {
    const p = typeof patch === 'function' ? patch(this.state) : patch;
    this.state = { ...this.state, ...p };
    for (const l of this.listeners) l();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export function useStore(store: Store): UiState {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
