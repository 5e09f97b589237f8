// The fleet view's store, as the session's (store.ts): the rollout's callbacks write, React reads
// through useSyncExternalStore. A write that changes nothing (an output line) draws nothing.
import { useSyncExternalStore } from 'react';
import { initialFleet, type FleetState } from './fleetState.js';

export class FleetStore {
  private state: FleetState;
  private readonly listeners = new Set<() => void>();

  constructor(init: Partial<FleetState> = {}) {
    this.state = initialFleet(init);
  }

  get = (): FleetState => this.state;

  set(patch: Partial<FleetState> | ((s: FleetState) => Partial<FleetState> | FleetState)): void {
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

export function useFleet(store: FleetStore): FleetState {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
