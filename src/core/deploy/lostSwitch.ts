// A link lost while nix-env switched the profile: the switch may have run on the host or not (a
// remote command goes on when its ssh connection dies). Nothing is assumed: clawdeploy waits for
// the host, reads where its profile points, and puts it back if it was switched. The activation
// never started, so the host still runs what it ran; no watchdog is armed yet (it is armed for
// the activation), so nothing on the host reverts a switched profile on its own.
import type { GenerationRef } from '../plan/schema.js';
import { waitForHost } from '../transport/reconnect.js';
import { readProfileGeneration } from './profileGeneration.js';
import { restoreProfile } from './switchUnit.js';
import type { Runner } from './runner.js';
import { clock } from './watchdog.js';
import { REVERT_GRACE_MS } from './watchdogFlow.js';

export interface LostSwitch {
  /** The host answered again and its profile is where it was before the switch. */
  ok: boolean;
  /** The generation the profile is on now, when that is known. */
  generation: GenerationRef | null;
  said: string;
}

/**
 * After set-profile ended with a lost link: `previous` is what the profile was (null: a first
 * deploy), `next` the generation the switch makes. `say` reports progress while it waits.
 */
export async function afterLostSwitch(runner: Runner, previous: GenerationRef | null, next: { number: number }, why: string, say: (message: string) => void, approvedBy: string): Promise<LostSwitch> {
  const host = runner.exec.host.name;
  const before = previous ? `generation ${previous.number}, as before,` : 'no generation, as before,';
  const maybe = `its profile is on ${before} or on generation ${next.number} (switched but never activated${previous ? `: the host still runs generation ${previous.number}` : ''})`;
  const until = Date.now() + REVERT_GRACE_MS;
  say(`lost the connection to ${host} while switching the profile (${why}): ${maybe}; no watchdog is armed yet; reconnecting until ${clock(new Date(until).toISOString())} to see`);
  const back = await waitForHost(runner.exec.freshTransport!, until);
  if (!back.ok) {
    const fix = previous ? `; a switched profile shows as half-switched there, and \`clawdeploy rollback ${host} --to ${previous.number}\` puts it back` : '';
    return {
      ok: false,
      generation: null,
      said: `lost the connection to ${host} while switching the profile (${why}) and it did not answer again by ${clock(new Date(until).toISOString())}: ${maybe}; nothing on the host reverts it on its own, and the host's lock stays until a clawdeploy of this machine takes it over; once it answers: clawdeploy status ${host}${fix}`,
    };
  }
  say(`reconnected to ${host} after ${Math.round(back.waitedMs / 1000)} s`);
  const { read, number: now } = await readProfileGeneration(runner, 'where the profile points after the lost link');
  const lost = `the link to ${host} was lost while switching the profile (${why})`;
  if (!read) return { ok: false, generation: null, said: `${lost}; reconnected, but the profile's generations cannot be read: ${maybe}; check with: clawdeploy status ${host}` };
  if (now === (previous?.number ?? null)) return { ok: true, generation: previous, said: `${lost}; reconnected: the profile was not switched, nothing on the host changed` };
  if (!previous)
    return {
      ok: false,
      generation: null,
      said: `${lost}; reconnected: the profile was switched to generation ${now} but never activated, and there is no earlier generation to put it back to; apply again to activate it`,
    };
  const restored = await restoreProfile(runner, previous, false, 'rollback', approvedBy);
  return {
    ok: restored.ok,
    generation: restored.ok ? previous : null,
    said: `${lost}; reconnected: nix-env had switched the profile to generation ${now} (never activated); ${restored.said}`,
  };
}
