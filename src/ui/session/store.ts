// The session's store (see externalStore.ts): what the screen shows, written by the core's callbacks.
import { ExternalStore, useExternalStore } from './externalStore.js';
import { initialState, type UiState } from './state.js';

export class Store extends ExternalStore<UiState> {
  constructor(init: Partial<UiState> = {}) {
    super(initialState(init));
  }
}

export function useStore(store: Store): UiState {
  return useExternalStore(store);
}
