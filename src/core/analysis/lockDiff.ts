// What changed between two flake.locks: the OpenClaw pin, nixpkgs, and every other input,
// plus findings about pins that cannot be reproduced.
import type { Change, Finding } from '../plan/schema.js';
import { canonicalPath, describeRef, inputEntries, isUnpinned, pinOf, shortPin, type InputEntry } from './lockGraph.js';
import type { FlakeLock } from './lockSchema.js';
import { findOpenclaw, type OpenclawPin } from './openclawInput.js';
import { compareStr, isoDate, sortFindings } from './util.js';
import { compareVersions } from './version.js';

export { parseLock, type FlakeLock } from './lockSchema.js';

export interface LockDiff {
  changes: Change[];
  findings: Finding[];
}

const FILE = 'flake.lock';

export function diffLocks(base: FlakeLock | null, next: FlakeLock, opts: { dirty?: boolean } = {}): LockDiff {
  const baseEntries = base ? inputEntries(base) : new Map<string, InputEntry>();
  const nextEntries = inputEntries(next);
  const ocBase = base ? findOpenclaw(base) : null;
  const ocNext = findOpenclaw(next);
  const npBase = base ? nixpkgsPath(baseEntries, ocBase) : null;
  const npNext = nixpkgsPath(nextEntries, ocNext);

  const changes: Change[] = [];
  const findings: Finding[] = [];

  const oc = openclawChange(ocBase, ocNext);
  if (oc) changes.push(oc);
  // State only drifts from the code when the code changes, not when a tag is merely re-spelled.
  if (oc && ocBase && ocNext && pinOf(ocBase.node) !== pinOf(ocNext.node)) findings.push(stateFinding(ocBase, ocNext, directionOf(ocBase, ocNext).direction === 'downgrade'));

  const np = nixpkgsChange(npBase ? baseEntries.get(npBase) : null, npNext ? nextEntries.get(npNext) : null);
  if (np) changes.push(np);

  // Reported above, under their own kind: the OpenClaw input itself and the effective nixpkgs.
  const skip = new Set([ocBase?.input, ocNext?.input, npBase, npNext].filter((s): s is string => !!s));
  changes.push(...inputChanges(baseEntries, nextEntries, skip));

  findings.push(...unpinnedFindings(nextEntries));
  if (opts.dirty) {
    findings.push({
      code: 'dirty-tree',
      severity: 'warn',
      message: 'the working tree has uncommitted changes: the deployed revision cannot be reproduced from git',
      fix: 'commit (or stash) the changes before deploying',
    });
  }
  return { changes, findings: sortFindings(findings) };
}

function openclawChange(from: OpenclawPin | null, to: OpenclawPin | null): Change | null {
  if (!from && !to) return null;
  if (!from) {
    return {
      kind: 'openclaw-version',
      summary: `OpenClaw ${to!.version ?? 'untagged'} added (${to!.input} ${pinLabel(to!)})`,
      detail: { input: to!.input, direction: 'added', from: null, to: side(to!), release: to!.release },
    };
  }
  if (!to) {
    return {
      kind: 'openclaw-version',
      summary: `OpenClaw input ${from.input} removed (was ${from.version ?? 'untagged'}, ${pinLabel(from)})`,
      detail: { input: from.input, direction: 'removed', from: side(from), to: null, release: null },
    };
  }
  if ((from.rev ?? from.narHash) === (to.rev ?? to.narHash) && from.tag === to.tag) return null;
  const { direction, basis, label } = directionOf(from, to);
  const versions = direction === 'same-version' ? `OpenClaw ${to.version}` : `OpenClaw ${from.version ?? 'untagged'} → ${to.version ?? 'untagged'}`;
  return {
    kind: 'openclaw-version',
    summary: `${versions} (${label}; ${to.input} ${pinLabel(from)} → ${pinLabel(to)})`,
    detail: { input: to.input, direction, basis, from: side(from), to: side(to), release: to.release },
  };
}

/** By version when both sides are tagged; else by commit date, which is only a hint. */
function directionOf(from: OpenclawPin, to: OpenclawPin): { direction: string; basis: string | null; label: string } {
  if (pinOf(from.node) === pinOf(to.node)) return { direction: 'ref-changed', basis: null, label: 'same commit, ref changed' };
  if (from.version && to.version) {
    const c = compareVersions(from.version, to.version);
    if (c < 0) return { direction: 'upgrade', basis: 'version', label: 'upgrade' };
    if (c > 0) return { direction: 'downgrade', basis: 'version', label: 'downgrade' };
    return { direction: 'same-version', basis: 'version', label: 'same version, re-pinned' };
  }
  if (from.lastModified !== null && to.lastModified !== null && from.lastModified !== to.lastModified) {
    return from.lastModified < to.lastModified ? { direction: 'upgrade', basis: 'commit-date', label: 'newer commit' } : { direction: 'downgrade', basis: 'commit-date', label: 'older commit' };
  }
  return { direction: 'unknown', basis: null, label: 'changed' };
}

function pinLabel(p: OpenclawPin): string {
  return shortPin(p.node);
}

function side(p: OpenclawPin): Record<string, unknown> {
  return { version: p.version, tag: p.tag, ref: p.ref, rev: p.rev, narHash: p.narHash, date: p.date, release: p.release };
}

/** The state directory as the finding names it until the host's own is known (see withStateDir). */
export const DEFAULT_STATE_DIR = '~/.openclaw';

function stateFinding(from: OpenclawPin, to: OpenclawPin, downgrade: boolean): Finding {
  const change = `${from.version ?? pinLabel(from)} → ${to.version ?? pinLabel(to)}`;
  // State written by a newer release may not load in an older one: a downgrade is a risk, not a note.
  return downgrade
    ? {
        code: 'state-not-rolled-back',
        severity: 'warn',
        message: `OpenClaw is downgraded (${change}): runtime state under ${DEFAULT_STATE_DIR} (sessions, pairing, memory, credentials) was written by the newer release and may not load in the older one; it is not rolled back with the generation`,
        fix: `back up ${DEFAULT_STATE_DIR} (with the gateway stopped) before applying, so it can be restored if the older release cannot read it`,
        file: FILE,
      }
    : {
        code: 'state-not-rolled-back',
        severity: 'info',
        message: `OpenClaw changes (${change}): runtime state under ${DEFAULT_STATE_DIR} (sessions, pairing, memory, credentials) is not rolled back with the generation`,
        fix: `back up ${DEFAULT_STATE_DIR} before applying if a rollback must also restore state`,
        file: FILE,
      };
}

/** The state-not-rolled-back finding with the host's own state directory (programs.openclaw.stateDir…). */
export function withStateDir(f: Finding, stateDir: string): Finding {
  if (f.code !== 'state-not-rolled-back' || stateDir === DEFAULT_STATE_DIR) return f;
  const swap = (s: string) => s.split(DEFAULT_STATE_DIR).join(stateDir);
  return { ...f, message: swap(f.message), ...(f.fix ? { fix: swap(f.fix) } : {}) };
}

/** The nixpkgs that the root flake evaluates with: its own `nixpkgs` input, else the OpenClaw input's. */
function nixpkgsPath(entries: Map<string, InputEntry>, oc: OpenclawPin | null): string | null {
  const e = entries.get('nixpkgs') ?? (oc ? entries.get(`${oc.input}/nixpkgs`) : undefined);
  if (!e?.nodeKey) return null;
  return e.follows ? canonicalPath(entries, e.nodeKey) : e.path.join('/');
}

function nixpkgsChange(from: InputEntry | null | undefined, to: InputEntry | null | undefined): Change | null {
  const fromPin = pinOf(from?.node ?? null);
  const toPin = pinOf(to?.node ?? null);
  if (fromPin === toPin && describeRef(from?.node?.original) === describeRef(to?.node?.original)) return null;
  const info = (e: InputEntry | null | undefined) =>
    e?.node
      ? {
          input: e.path.join('/'),
          source: describeRef(e.node.original),
          rev: e.node.locked?.rev ?? null,
          lastModified: e.node.locked?.lastModified ?? null,
          date: isoDate(e.node.locked?.lastModified),
        }
      : null;
  const label = (e: InputEntry | null | undefined) => {
    const d = isoDate(e?.node?.locked?.lastModified);
    return `${shortPin(e?.node ?? null)}${d ? ` (${d})` : ''}`;
  };
  const summary = !from ? `nixpkgs pinned at ${label(to)}` : !to ? 'nixpkgs input removed' : `nixpkgs ${label(from)} → ${label(to)}`;
  return { kind: 'nixpkgs', summary, detail: { from: info(from), to: info(to) } };
}

/** Added, removed, re-pinned or re-pointed inputs, by path; children of an added/removed input are implied. */
function inputChanges(base: Map<string, InputEntry>, next: Map<string, InputEntry>, skip: Set<string>): Change[] {
  const keys = [...new Set([...base.keys(), ...next.keys()])].sort(comparePath);
  const changes: Change[] = [];
  const gone: string[] = [];
  for (const key of keys) {
    if (gone.some((g) => key.startsWith(`${g}/`))) continue;
    const b = base.get(key);
    const n = next.get(key);
    if (!b || !n) gone.push(key);
    if (skip.has(key)) continue;
    if (!b || !n) {
      const e = (n ?? b)!;
      // A follows has no pin of its own: what it points at is reported under its own path.
      if (e.follows) continue;
      const what = `${describeRef(e.node?.original)}, ${shortPin(e.node)}`;
      changes.push({
        kind: 'input',
        summary: `input ${key} ${n ? 'added' : 'removed'} (${what})`,
        detail: { input: key, action: n ? 'added' : 'removed', ...(n ? { to: entryInfo(n) } : { from: entryInfo(b!) }) },
      });
      continue;
    }
    const summary = repinSummary(key, b, n);
    if (summary) changes.push({ kind: 'input', summary, detail: { input: key, action: 'changed', from: entryInfo(b), to: entryInfo(n) } });
  }
  return changes;
}

function repinSummary(key: string, b: InputEntry, n: InputEntry): string | null {
  const bf = b.follows?.join('/');
  const nf = n.follows?.join('/');
  if (bf !== undefined && nf !== undefined) return bf === nf ? null : `input ${key} now follows ${nf} (was ${bf})`;
  if (nf !== undefined) return `input ${key} now follows ${nf} (was pinned at ${shortPin(b.node)})`;
  if (bf !== undefined) return `input ${key} now pinned at ${shortPin(n.node)} (was following ${bf})`;
  const fromSrc = describeRef(b.node?.original);
  const toSrc = describeRef(n.node?.original);
  if (pinOf(b.node) === pinOf(n.node) && fromSrc === toSrc) return null;
  const src = fromSrc === toSrc ? '' : `, source ${fromSrc} → ${toSrc}`;
  return `input ${key}: ${shortPin(b.node)} → ${shortPin(n.node)}${src}`;
}

function entryInfo(e: InputEntry): Record<string, unknown> {
  if (e.follows) return { follows: e.follows.join('/') };
  const l = e.node?.locked;
  return { source: describeRef(e.node?.original), rev: l?.rev ?? null, narHash: l?.narHash ?? null, date: isoDate(l?.lastModified) };
}

function unpinnedFindings(entries: Map<string, InputEntry>): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const [key, e] of entries) {
    if (e.follows || !e.nodeKey || seen.has(e.nodeKey)) continue;
    seen.add(e.nodeKey);
    if (!isUnpinned(e.node)) continue;
    const src = describeRef(e.node?.locked ?? e.node?.original);
    out.push({
      code: 'input-unpinned',
      severity: 'warn',
      message: `input ${key} (${src}) is not pinned to a revision or content hash: the build cannot be reproduced`,
      fix: `run \`nix flake lock\` and commit flake.lock (or point ${key} at a git revision or tag)`,
      file: FILE,
    });
  }
  return out;
}

/** "a" < "a/b" < "b": parents before children, then by name. */
function comparePath(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = compareStr(as[i]!, bs[i]!);
    if (c) return c;
  }
  return as.length - bs.length;
}
