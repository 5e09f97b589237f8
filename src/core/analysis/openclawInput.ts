// Which root input is nix-openclaw, and which OpenClaw version it pins (from the mirrored tag).
import type { FlakeLock, FlakeRef, LockNode } from './lockSchema.js';
import { resolveFollows } from './lockSchema.js';
import { compareStr, isoDate } from './util.js';
import { tagVersion, versionTag } from './version.js';

export interface OpenclawPin {
  /** The root input name (usually "nix-openclaw"). */
  input: string;
  nodeKey: string;
  node: LockNode;
  rev: string | null;
  narHash: string | null;
  lastModified: number | null;
  date: string | null;
  tag: string | null;
  version: string | null;
  /** The branch or other non-version ref the input tracks, if any. */
  ref: string | null;
  /** True when the input is github.com/openclaw/nix-openclaw, so the mirrored release link applies. */
  github: boolean;
  release: string | null;
}

const PREFERRED_NAMES = ['nix-openclaw', 'openclaw'];
const RELEASES = 'https://github.com/openclaw/nix-openclaw/releases/tag/';

/** Find the OpenClaw input among the root inputs: by name first, then by source. */
export function findOpenclaw(lock: FlakeLock): OpenclawPin | null {
  const inputs = lock.nodes[lock.root]?.inputs ?? {};
  const names = Object.keys(inputs).sort(compareStr);
  const resolve = (name: string): string | null => {
    const ref = inputs[name];
    if (ref === undefined) return null;
    const key = typeof ref === 'string' ? ref : resolveFollows(lock, ref);
    return key && key !== lock.root ? key : null;
  };
  const byName = PREFERRED_NAMES.find((n) => resolve(n) !== null);
  const name =
    byName ??
    names.find((n) => {
      const key = resolve(n);
      return key !== null && isOpenclawSource(lock.nodes[key]);
    });
  if (!name) return null;
  const nodeKey = resolve(name)!;
  return describePin(name, nodeKey, lock.nodes[nodeKey]!);
}

function isOpenclawSource(node: LockNode | undefined): boolean {
  return [node?.locked, node?.original].some(
    (r) => !!r && ((r.owner?.toLowerCase() === 'openclaw' && r.repo?.toLowerCase() === 'nix-openclaw') || (r.url ?? '').toLowerCase().includes('nix-openclaw')),
  );
}

function isGithubOpenclaw(node: LockNode): boolean {
  return [node.locked, node.original].some(
    (r) =>
      !!r &&
      ((r.type === 'github' && r.owner?.toLowerCase() === 'openclaw' && r.repo?.toLowerCase() === 'nix-openclaw') || /github\.com[/:]openclaw\/nix-openclaw(\.git)?([/?#]|$)/i.test(r.url ?? '')),
  );
}

/** The tag from original.ref, locked.ref, a `?ref=` query or a GitHub archive URL (…/archive/v2026.6.11.tar.gz). */
function tagOf(node: LockNode): { tag: string | null; ref: string | null } {
  const refs: string[] = [];
  for (const r of [node.original, node.locked] as (FlakeRef | undefined)[]) {
    if (!r) continue;
    if (r.ref) refs.push(r.ref);
    const url = r.url ?? '';
    const q = /[?&]ref=([^&#]+)/.exec(url);
    if (q?.[1]) refs.push(decodeURIComponent(q[1]));
    const archive = /\/archive\/(.+?)\.(?:tar\.gz|tar|zip)$/.exec(url);
    if (archive?.[1]) refs.push(archive[1]);
    const gh = /^github:[^/]+\/[^/?]+\/([^?]+)/.exec(url);
    if (gh?.[1]) refs.push(gh[1]);
  }
  const tag = refs.map(versionTag).find((t) => t !== null) ?? null;
  return { tag, ref: tag ? null : (refs[0] ?? null) };
}

function describePin(input: string, nodeKey: string, node: LockNode): OpenclawPin {
  const { tag, ref } = tagOf(node);
  const github = isGithubOpenclaw(node);
  return {
    input,
    nodeKey,
    node,
    rev: node.locked?.rev ?? null,
    narHash: node.locked?.narHash ?? null,
    lastModified: node.locked?.lastModified ?? null,
    date: isoDate(node.locked?.lastModified),
    tag,
    version: tag ? tagVersion(tag) : null,
    ref,
    github,
    release: github && tag ? `${RELEASES}${tag}` : null,
  };
}
