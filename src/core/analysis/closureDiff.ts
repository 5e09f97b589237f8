// `nix store diff-closures A B` (Nix 2.8) parsed into entries and summarised as one change.
// Format, from captured output: "name: <versions> → <versions>[, ±N.N KiB]" or "name: ±N.N KiB";
// versions are comma-separated, ∅ means none, ε means a version-less store name. Sizes are shown
// only for deltas of 8 KiB or more and are coloured with ANSI codes even when piped.
import type { Change } from '../plan/schema.js';
import { compareStr } from './util.js';

export interface ClosureEntry {
  name: string;
  /** Versions removed / added; [] for ∅; "" for a store name without a version (ε). */
  from: string[];
  to: string[];
  /** null when Nix did not print a size (the delta was under 8 KiB). */
  sizeDeltaKiB: number | null;
}

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const SIZE = /^([+-]\d+(?:\.\d+)?) KiB$/;
const ENTRY = /^([^\s:]+): (.+)$/;

function versions(s: string): string[] {
  const t = s.trim();
  if (t === '∅') return [];
  return t.split(', ').map((v) => (v === 'ε' ? '' : v));
}

/** Lines that do not match the format (warnings, "Version 1 -> 2:" headers) are skipped. */
export function parseDiffClosures(text: string): ClosureEntry[] {
  const out: ClosureEntry[] = [];
  for (const raw of text.replace(ANSI, '').split(/\r?\n|\r/)) {
    const m = ENTRY.exec(raw.trim());
    if (!m) continue;
    const [, name = '', rest = ''] = m;
    const arrow = rest.indexOf(' → ');
    if (arrow < 0) {
      const size = SIZE.exec(rest);
      if (size) out.push({ name, from: [], to: [], sizeDeltaKiB: Number(size[1]) });
      continue;
    }
    let right = rest.slice(arrow + 3);
    let sizeDeltaKiB: number | null = null;
    const comma = right.lastIndexOf(', ');
    const size = comma >= 0 ? SIZE.exec(right.slice(comma + 2)) : null;
    if (size) {
      sizeDeltaKiB = Number(size[1]);
      right = right.slice(0, comma);
    }
    out.push({ name, from: versions(rest.slice(0, arrow)), to: versions(right), sizeDeltaKiB });
  }
  return out;
}

type Kind = 'added' | 'removed' | 'updated' | 'size';

function kindOf(e: ClosureEntry): Kind {
  if (!e.from.length && !e.to.length) return 'size';
  if (!e.from.length) return 'added';
  if (!e.to.length) return 'removed';
  return 'updated';
}

const isOpenclaw = (e: ClosureEntry): boolean => e.name.startsWith('openclaw');
/** Sort rank: OpenClaw packages first, then added/removed packages, then updates, then size-only. */
const rank = (e: ClosureEntry): number => (isOpenclaw(e) ? 0 : { added: 1, removed: 1, updated: 2, size: 3 }[kindOf(e)]);
const MAX_LISTED = 25;

function showVersions(v: string[]): string {
  return v.length ? v.map((x) => x || 'ε').join(', ') : '∅';
}

function describe(e: ClosureEntry): string {
  const size = e.sizeDeltaKiB === null ? '' : `${e.sizeDeltaKiB > 0 ? '+' : ''}${e.sizeDeltaKiB.toFixed(1)} KiB`;
  if (kindOf(e) === 'size') return `${e.name} ${size}`;
  return `${e.name} ${showVersions(e.from)} → ${showVersions(e.to)}${size ? ` (${size})` : ''}`;
}

/** One `closure` change; none when the closures are identical (empty diff-closures output). */
export function summariseClosure(entries: ClosureEntry[]): Change[] {
  if (!entries.length) return [];
  const sorted = [...entries].sort((a, b) => rank(a) - rank(b) || compareStr(a.name, b.name));
  const counts = { added: 0, removed: 0, updated: 0, size: 0 };
  for (const e of entries) counts[kindOf(e)]++;
  const delta = Math.round(entries.reduce((s, e) => s + (e.sizeDeltaKiB ?? 0), 0) * 10) / 10;
  const parts = [
    counts.updated && `${counts.updated} updated`,
    counts.added && `${counts.added} added`,
    counts.removed && `${counts.removed} removed`,
    counts.size && `${counts.size} changed in size only`,
  ].filter(Boolean);
  const oc = sorted.filter(isOpenclaw).map(describe);
  const lead = oc.length ? `${oc.join('; ')}; ` : '';
  const listed = sorted.slice(0, MAX_LISTED);
  return [
    {
      kind: 'closure',
      // Nix prints no delta under 8 KiB, so a zero total says nothing: leave it out.
      summary: `${lead}${parts.join(', ')}${delta === 0 ? '' : `; size ${delta > 0 ? '+' : ''}${delta.toFixed(1)} KiB`}`,
      detail: {
        counts: { updated: counts.updated, added: counts.added, removed: counts.removed, sizeOnly: counts.size },
        // Nix omits deltas under 8 KiB, so this is a lower bound of the real change.
        sizeDeltaKiB: delta,
        entries: listed.map((e) => ({ ...e, change: kindOf(e) === 'size' ? 'size-only' : kindOf(e), text: describe(e) })),
        omitted: sorted.length - listed.length,
      },
    },
  ];
}
