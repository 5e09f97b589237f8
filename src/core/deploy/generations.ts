// What a person needs to pick a rollback target during an incident: every generation with its
// date and store path, which one is current, which was last known good, and what changes.
import type { Host } from '../inventory/schema.js';
import type { Change, GenerationRef } from '../plan/schema.js';
import type { Transport } from '../transport/types.js';
import { UserError } from '../errors.js';
import { parseGenerations } from '../preflight/generations.js';
import { asProfileUser } from '../plan/runAs.js';
import { renderedConfigIn } from '../preflight/layout.js';
import { fetchFromHost } from '../nix/fetch.js';
import { diffClosures } from '../nix/flake.js';
import { parseDiffClosures, summariseClosure } from '../analysis/closureDiff.js';
import { diffOpenclawConfig } from '../analysis/configDiff.js';

export interface GenerationInfo {
  number: number;
  date: string;
  storePath: string | null;
  current: boolean;
  /** The newest generation the records saw healthy (it may be the current one). */
  lastKnownGood: boolean;
  /** The records saw it healthy at some point; 0 = newest such, 1 = the one before… (absent: never). */
  goodRank?: number;
}

async function out(t: Transport, argv: string[]): Promise<string | null> {
  const r = await t.run(argv, { timeoutMs: 30_000 });
  return r.exitCode === 0 ? r.stdout.trim() : null;
}

/**
 * Every generation of the host's profile. `knownGood` (newest first, from the records) ranks the
 * generations seen healthy; the newest of them is marked last known good.
 */
export async function listGenerations(host: Host, t: Transport, knownGood: GenerationRef[] | GenerationRef | null): Promise<GenerationInfo[]> {
  const lines = parseGenerations((await out(t, asProfileUser(host, ['nix-env', '--profile', host.profile, '--list-generations']))) ?? '');
  const links = lines.map((g) => `${host.profile}-${g.number}-link`);
  // One command for every link (a host may keep a hundred generations); one each only if a
  // link cannot be read, so a path is never paired with the wrong generation.
  const all = links.length ? await t.run(asProfileUser(host, ['readlink', '-f', '--', ...links]), { timeoutMs: 30_000 }) : null;
  const paths =
    all?.exitCode === 0 && all.stdout.split('\n').filter(Boolean).length === links.length
      ? all.stdout.split('\n').filter(Boolean)
      : await Promise.all(links.map((l) => out(t, asProfileUser(host, ['readlink', '-f', '--', l]))));
  const gens: GenerationInfo[] = lines.map((g, i) => ({ ...g, storePath: paths[i] ?? null, lastKnownGood: false }));
  const known = knownGood === null ? [] : Array.isArray(knownGood) ? knownGood : [knownGood];
  known.forEach((k, rank) => {
    const g = gens.find((x) => x.number === k.number && x.storePath === k.storePath);
    if (g && g.goodRank === undefined) g.goodRank = rank;
  });
  const newest = gens.filter((g) => g.goodRank !== undefined).sort((a, b) => a.goodRank! - b.goodRank!)[0];
  if (newest) newest.lastKnownGood = true;
  return gens;
}

/** The default target: the last known good generation if it is not the current one, else the one before. */
export function chooseTarget(gens: GenerationInfo[], to?: number): GenerationInfo {
  const current = gens.find((g) => g.current);
  if (to !== undefined) {
    const g = gens.find((x) => x.number === to);
    if (!g) throw new UserError(`generation ${to} does not exist on the host (generations: ${gens.map((x) => x.number).join(', ') || 'none'})`);
    if (g.current) throw new UserError(`generation ${to} is already the current one`);
    return g;
  }
  // The newest generation seen healthy that is not the current one: never one that failed.
  const lkg = gens.filter((g) => g.goodRank !== undefined && !g.current).sort((a, b) => a.goodRank! - b.goodRank!)[0];
  if (lkg) return lkg;
  const older = gens.filter((g) => current && g.number < current.number).at(-1);
  if (!older) throw new UserError(`the host has no generation older than ${current?.number ?? 'the current one'} to roll back to`);
  return older;
}

/** Closure and config changes between two generations on the host. */
export async function diffGenerations(host: Host, t: Transport, from: string, to: string, redact: (s: string) => string): Promise<Change[]> {
  await fetchFromHost(t, [from, to]);
  const changes = summariseClosure(parseDiffClosures(await diffClosures(from, to)));
  const [a, b] = await Promise.all([out(t, ['cat', renderedConfigIn(host, from)]), out(t, ['cat', renderedConfigIn(host, to)])]);
  if (b) {
    try {
      changes.push(...diffOpenclawConfig(a ? (JSON.parse(a) as unknown) : null, JSON.parse(b) as unknown, { redact }).changes);
    } catch {
      // an unreadable config is shown as no config change; the closure diff still stands
    }
  }
  return changes;
}
