// `openclaw --version` of the program of the host's current generation, for the drift check. Its
// answer is its store path's content: in a rollout (`once`, pipeline/planMemo.ts) it is read once
// for every host and plan on the same generation instead of starting the CLI (a Node process) on
// each. A shared read that fails is not taken for an answer: the host then reads its own.
import type { Host } from '../inventory/schema.js';
import type { GenerationRef } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { openclawProgram } from '../plan/catalog.js';
import { asProfileUser } from '../plan/runAs.js';
import { hostKind } from '../hostKinds/index.js';

export type Once = <T>(key: string, make: () => Promise<T>) => Promise<T>;

export async function programVersion(host: Host, t: Transport, current: GenerationRef, once?: Once): Promise<string | null> {
  const read = async () => {
    const r = await t.run(asProfileUser(host, [openclawProgram(host), '--version']), { timeoutMs: 60_000 });
    return r.exitCode === 0 ? r.stdout.trim() : null;
  };
  if (!once) return read();
  // The profile's program is the current generation's (openclawProgram resolves through the profile).
  const key = `openclaw --version\0${hostKind(host.kind).openclawBinIn(current.storePath)}`;
  return once(key, async () => (await read()) ?? Promise.reject(new Error('no version'))).catch(() => read());
}
