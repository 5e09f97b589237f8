// Where the host's profile points now, as the host lists it: read back after a switch rather than
// assumed from what the plan predicted.
import { makeStep } from '../plan/steps.js';
import { parseGenerations } from '../preflight/generations.js';
import type { Runner } from './runner.js';

/** The profile's current generation number (null: it has none); read: false when the host could not be asked. */
export async function readProfileGeneration(runner: Runner, why: string): Promise<{ read: boolean; number: number | null }> {
  const host = runner.exec.host;
  const o = await runner.run(makeStep('generations', 'list-generations', { profile: host.profile }, why, runner.exec.actionCtx), 'bookkeeping');
  if (o.status !== 'ok') return { read: false, number: null };
  return { read: true, number: parseGenerations(o.stdout).find((g) => g.current)?.number ?? null };
}

/** The profile's current generation number, as the host lists it (null when it cannot be read). */
export async function currentGenerationNumber(runner: Runner): Promise<number | null> {
  return (await readProfileGeneration(runner, 'read back the generation just made')).number;
}
