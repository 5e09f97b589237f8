// The rollout's records behind an asynchronous port: the fleet engine never waits on SQLite's
// synchronous API, so a shared database can take this place later. A write that fails is said
// (once the hosts are safe) and never stops a wave half way, as for single deploys.
import type { Records, Rollout, RolloutHostUpdate, RolloutInput, RolloutOutcome } from '../records/index.js';

export interface RolloutLedger {
  start(input: RolloutInput): Promise<string>;
  setHost(id: string, host: string, update: RolloutHostUpdate): Promise<void>;
  finish(id: string, outcome: RolloutOutcome, detail: string | null): Promise<void>;
  resume(id: string): Promise<void>;
  get(idOrPrefix: string): Promise<Rollout | null>;
  /** Writes that failed, one line each (empty when all were written). */
  failures(): string[];
}

export function rolloutLedgerFor(records: Records): RolloutLedger {
  const failed: string[] = [];
  const safely = async (what: string, write: () => void) => {
    try {
      write();
    } catch (e) {
      failed.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return {
    // The rollout's id is needed for everything after: a failure to start it is thrown.
    start: async (input) => records.startRollout(input),
    setHost: (id, host, update) => safely(`rollout ${id.slice(0, 8)} host ${host}`, () => records.setRolloutHost(id, host, update)),
    finish: (id, outcome, detail) => safely(`rollout ${id.slice(0, 8)}`, () => records.finishRollout(id, outcome, detail)),
    resume: async (id) => records.resumeRollout(id),
    get: async (idOrPrefix) => records.rollout(idOrPrefix),
    failures: () => [...failed],
  };
}
