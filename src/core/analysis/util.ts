// Small helpers shared by the analysis modules. Everything here is pure and locale-free,
// so the same input always gives byte-identical output.
import type { Finding } from '../plan/schema.js';

/** Code-unit order: never localeCompare, whose result depends on the machine's locale. */
export function compareStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedKeys(o: Record<string, unknown>): string[] {
  return Object.keys(o).sort(compareStr);
}

const severityRank = { block: 0, warn: 1, info: 2 } as const;

/** Blocks first, then by code, file and message, so plans list findings in a stable order. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => severityRank[a.severity] - severityRank[b.severity] || compareStr(a.code, b.code) || compareStr(a.file ?? '', b.file ?? '') || compareStr(a.message, b.message));
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First 7 hex digits, the way git and `nix flake metadata` print revisions. */
export function shortRev(rev: string): string {
  return rev.slice(0, 7);
}

/** flake.lock lastModified (seconds since the epoch) as a UTC date. */
export function isoDate(lastModified: number | undefined): string | null {
  if (lastModified === undefined || !Number.isFinite(lastModified)) return null;
  return new Date(lastModified * 1000).toISOString().slice(0, 10);
}
