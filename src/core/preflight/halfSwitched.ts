// A half-switched host: its profile points at generation N, but N was never activated and
// another generation P still runs (a switch whose activation was declined or failed, a deploy
// killed between the two). It looks like drift, yet nothing was edited by hand, and the advice
// for drift ("put the change into the flake") cannot get it out. Recognised here as its own
// finding, the deploy starts from P (what runs, and what a rollback returns to).
import type { Host } from '../inventory/schema.js';
import type { Finding, GenerationRef } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { hostStateDir, openclawProgram } from '../plan/catalog.js';
import { readVersion } from '../openclaw/surface.js';
import { renderedConfigIn } from './layout.js';
import type { GatewayState } from './preflight.js';

export interface HalfSwitched {
  /** The generation the profile points at, never activated. */
  profile: GenerationRef;
  /** The generation whose config is live and whose openclaw runs. */
  active: GenerationRef;
  finding: Finding;
}

async function stdout(t: Transport, argv: string[]): Promise<string | null> {
  const r = await t.run(argv, { timeoutMs: 30_000 });
  return r.exitCode === null ? null : r.stdout;
}

/** The generation the host's own record says was last activated (last-deploy.json), if any. */
async function recordedGeneration(host: Host, t: Transport): Promise<number | null> {
  try {
    const record = JSON.parse((await stdout(t, ['cat', `${hostStateDir(host)}/last-deploy.json`])) ?? '') as { generation?: { number?: unknown } | null };
    return typeof record.generation?.number === 'number' ? record.generation.number : null;
  } catch {
    return null;
  }
}

/**
 * Which other generation explains the live host, when `current` (the profile's) does not: its
 * rendered config is the live one, and the running gateway (if any) is its openclaw. Asked only
 * after drift was found. Candidates: the generation the host's record names, the one just
 * below the current one and the one just above it (a rollback's profile switch).
 */
export async function findHalfSwitched(
  host: Host,
  t: Transport,
  o: { current: GenerationRef; numbers: number[]; liveSum: string | null; gateway: GatewayState; programDrift: (wanted: { version: string; commit: string | null } | null) => boolean },
): Promise<HalfSwitched | null> {
  if (!o.liveSum) return null;
  const n = o.current.number;
  const below = o.numbers.filter((x) => x < n).sort((a, b) => b - a)[0];
  const above = o.numbers.filter((x) => x > n).sort((a, b) => a - b)[0];
  const recorded = await recordedGeneration(host, t);
  const candidates = [...new Set([recorded, below, above])].filter((x): x is number => typeof x === 'number' && x !== n && o.numbers.includes(x));
  if (!candidates.length) return null;
  const links = (await stdout(t, ['readlink', '-f', '--', ...candidates.map((x) => `${host.profile}-${x}-link`)]))?.split('\n').filter(Boolean) ?? [];
  if (links.length !== candidates.length) return null;
  // sha256sum prints a line for every file it can read (exit 1 if one is missing).
  const sums = new Map(((await stdout(t, ['sha256sum', '--', ...links.map((p) => renderedConfigIn(host, p))])) ?? '').split('\n').map((l) => [l.slice(66), l.slice(0, 64)] as const));
  for (const [i, number] of candidates.entries()) {
    const storePath = links[i]!;
    if (!storePath.startsWith('/nix/store/') || sums.get(renderedConfigIn(host, storePath)) !== o.liveSum) continue;
    if (o.gateway.running && o.programDrift(readVersion((await stdout(t, [openclawProgram({ ...host, profile: storePath }), '--version'])) ?? ''))) continue;
    const active = { number, storePath };
    return {
      profile: o.current,
      active,
      finding: {
        code: 'half-switched',
        severity: 'warn',
        message: `half-switched: ${host.profile} on '${host.name}' points at generation ${n}, but generation ${number} is active (its config is live${o.gateway.running ? ' and its openclaw runs' : ''}): generation ${n} was never activated. This plan starts from generation ${number}, and its rollback returns there`,
        fix: `\`clawdeploy apply ${host.name}\` activates what the flake builds (generation ${n} when the flake is unchanged), or \`clawdeploy rollback ${host.name} --to ${number}\` puts the profile back on generation ${number}`,
      },
    };
  }
  return null;
}
