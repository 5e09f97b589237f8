// The fleet view's store (see externalStore.ts): the rollout's callbacks write, React reads. A
// write that changes nothing (an output line) draws nothing.
import { ExternalStore, useExternalStore } from './externalStore.js';
import { initialFleet, type FleetState } from './fleetState.js';

export class FleetStore extends ExternalStore<FleetState> {
  constructor(init: Partial<FleetState> = {}) {
    super(initialFleet(init));
  }
}

export function useFleet(store: FleetStore): FleetState {
  return useExternalStore(store);
}
