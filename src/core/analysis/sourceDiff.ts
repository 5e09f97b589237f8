// Unified diffs of the Nix sources that changed between the base and the working tree.
// flake.lock is only named here; lockDiff explains what changed in it.
import { formatPatch, FILE_HEADERS_ONLY, structuredPatch } from 'diff';
import type { Change } from '../plan/schema.js';
import { compareStr } from './util.js';

export type SourceFiles = Map<string, string> | Record<string, string>;

export interface SourcePatch {
  file: string;
  patch: string;
  added: number;
  removed: number;
}

export interface SourceDiff {
  changes: Change[];
  patches: SourcePatch[];
}

const identity = (s: string): string => s;

function isLock(file: string): boolean {
  return file === 'flake.lock' || file.endsWith('/flake.lock');
}

function tracked(file: string): boolean {
  return file.endsWith('.nix') || isLock(file);
}

function toMap(files: SourceFiles): Map<string, string> {
  return files instanceof Map ? files : new Map(Object.entries(files));
}

export function diffSources(base: SourceFiles, next: SourceFiles, opts: { redact?: (s: string) => string } = {}): SourceDiff {
  const redact = opts.redact ?? identity;
  const a = toMap(base);
  const b = toMap(next);
  const files = [...new Set([...a.keys(), ...b.keys()])].filter(tracked).sort(compareStr);
  const changes: Change[] = [];
  const patches: SourcePatch[] = [];
  for (const file of files) {
    const before = a.get(file);
    const after = b.get(file);
    if (before === after) continue;
    const status = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    if (isLock(file)) {
      changes.push({ kind: 'source', summary: `${file} ${status}`, detail: { file, status } });
      continue;
    }
    const p = makePatch(file, before, after, redact);
    patches.push(p);
    changes.push({
      kind: 'source',
      summary: `${file} ${status} (+${p.added} −${p.removed})`,
      detail: { file, status, added: p.added, removed: p.removed },
    });
  }
  return { changes, patches };
}

/** git-style headers (/dev/null for an added or removed file); every line goes through redact. */
function makePatch(file: string, before: string | undefined, after: string | undefined, redact: (s: string) => string): SourcePatch {
  const structured = structuredPatch(before === undefined ? '/dev/null' : `a/${file}`, after === undefined ? '/dev/null' : `b/${file}`, before ?? '', after ?? '', undefined, undefined, {
    context: 3,
  });
  let added = 0;
  let removed = 0;
  for (const hunk of structured.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  const patch = formatPatch(structured, FILE_HEADERS_ONLY)
    .split('\n')
    .map((line) => redact(line))
    .join('\n');
  return { file, patch, added, removed };
}
