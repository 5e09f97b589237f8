// A tiny external store: core callbacks (events, approvals) write, React reads through
// useSyncExternalStore. No other state library. The session's store and the fleet view's are two.
import { useSyncExternalStore } from 'react';

export class ExternalStore<S extends object> {
  private state: S;
  private readonly listeners = new Set<() => void>();

  constructor(initial: S) {
    this.state = initial;
  }

  get = (): S => this.state;

  /** A patch, or a function of the state to a patch; returning the state itself changes nothing and draws nothing. */
  set(patch: Partial<S> | ((s: S) => Partial<S> | S)): void {
    const p = typeof patch === 'function' ? patch(this.state) : patch;
    if (p === this.state) return;
    this.state = { ...this.state, ...p };
    for (const l of this.listeners) l();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}

export function useExternalStore<S extends object>(store: ExternalStore<S>): S {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
