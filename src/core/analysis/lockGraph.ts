// The input graph of a flake.lock, flattened to input paths ("nix-openclaw/nixpkgs").
// `follows` edges are resolved to the node they point at but not walked, so every real node is
// reported once, under the first path that reaches it by a real edge.
import type { FlakeLock, FlakeRef, LockNode } from './lockSchema.js';
import { resolveFollows } from './lockSchema.js';
import { compareStr, shortRev } from './util.js';

export interface InputEntry {
  /** Input names from the root, e.g. ["nix-openclaw", "nixpkgs"]. */
  path: string[];
  /** The node name the input resolves to (null: a follows to the root flake itself). */
  nodeKey: string | null;
  node: LockNode | null;
  /** Set when the input is a follows; the absolute path it follows. */
  follows: string[] | null;
}

const MAX_DEPTH = 8;

/** All input paths, keyed by "a/b", in a stable depth-first order with sorted names. */
export function inputEntries(lock: FlakeLock): Map<string, InputEntry> {
  const out = new Map<string, InputEntry>();
  const walk = (key: string, prefix: string[], chain: Set<string>): void => {
    const inputs = lock.nodes[key]?.inputs ?? {};
    for (const name of Object.keys(inputs).sort(compareStr)) {
      const ref = inputs[name]!;
      const path = [...prefix, name];
      if (typeof ref === 'string') {
        out.set(path.join('/'), { path, nodeKey: ref, node: lock.nodes[ref] ?? null, follows: null });
        if (prefix.length < MAX_DEPTH && !chain.has(ref)) walk(ref, path, new Set([...chain, ref]));
      } else {
        const target = resolveFollows(lock, ref);
        const nodeKey = target === lock.root ? null : target;
        out.set(path.join('/'), { path, nodeKey, node: nodeKey ? (lock.nodes[nodeKey] ?? null) : null, follows: ref });
      }
    }
  };
  walk(lock.root, [], new Set([lock.root]));
  return out;
}

/** The path under which a node is reported: the first real (non-follows) edge that reaches it. */
export function canonicalPath(entries: Map<string, InputEntry>, nodeKey: string): string | null {
  for (const [key, e] of entries) if (!e.follows && e.nodeKey === nodeKey) return key;
  return null;
}

/** What pins a node: the git revision, or for path/tarball inputs the content hash. */
export function pinOf(node: LockNode | null): string | null {
  return node?.locked?.rev ?? node?.locked?.narHash ?? null;
}

/** A short human label for a pin: 7 hex digits of a rev, or the start of a narHash. */
export function shortPin(node: LockNode | null): string {
  const rev = node?.locked?.rev;
  if (rev) return shortRev(rev);
  const nar = node?.locked?.narHash;
  return nar ? `${nar.slice(0, 15)}…` : 'unpinned';
}

const VCS_TYPES = new Set(['github', 'gitlab', 'sourcehut', 'git', 'mercurial']);

/** Unpinned: nothing locked, no content hash, an indirect (registry) ref, or a VCS ref without a rev. */
export function isUnpinned(node: LockNode | null): boolean {
  const locked = node?.locked;
  if (!locked || !locked.narHash) return true;
  if (locked.type === 'indirect') return true;
  return VCS_TYPES.has(locked.type) && !locked.rev;
}

/** "github:openclaw/nix-openclaw/v2026.6.11", "path:/src/x", "git+https://host/repo", credentials removed. */
export function describeRef(ref: FlakeRef | undefined): string {
  if (!ref) return 'unknown source';
  const withRef = (s: string): string => (ref.ref ? `${s}/${ref.ref}` : s);
  switch (ref.type) {
    case 'github':
    case 'gitlab':
    case 'sourcehut':
      return withRef(`${ref.type}:${ref.owner ?? '?'}/${ref.repo ?? '?'}`);
    case 'indirect':
      return `flake:${ref.id ?? '?'}${ref.ref ? `/${ref.ref}` : ''}`;
    case 'path':
      return `path:${ref.path ?? '?'}`;
    default:
      return `${ref.type === 'git' || ref.type === 'mercurial' ? `${ref.type}+` : ''}${stripCredentials(ref.url ?? '?')}`;
  }
}

/** Never let a token in a git/tarball URL (https://user:token@host) reach a plan. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
