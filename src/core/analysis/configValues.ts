// Walking two JSON configs and describing what changed, without ever printing a secret value.
import { compareStr, isRecord, sortedKeys } from './util.js';

export type Redact = (s: string) => string;

export interface LeafChange {
  path: string[];
  before: unknown;
  after: unknown;
}

/** Keys whose values are credentials (or may be): their values are never shown, only "changed". */
export function isSecretKey(key: string): boolean {
  return /token|secret|passw|passphrase|credential|cookie|key$/i.test(key);
}

/** tokenFile, passwordFile, credentialsPath…: the value is a path, which is safe to show. */
function isSecretPathKey(key: string): boolean {
  return isSecretKey(key.replace(/(File|Path)$/, '')) && /(File|Path)$/.test(key);
}

/** Stable JSON (sorted keys), so equal objects compare equal whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v))
    return `{${sortedKeys(v)
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * Leaf paths that differ; an added or removed object is walked too, so a first deploy lists its keys.
 * Arrays and secret-bearing keys are leaves: their insides are not walked.
 */
export function changedLeaves(a: unknown, b: unknown, prefix: string[] = []): LeafChange[] {
  const last = prefix[prefix.length - 1];
  const secret = last !== undefined && isSecretKey(last) && !isSecretPathKey(last);
  const ra = a === undefined && isRecord(b) ? {} : a;
  const rb = b === undefined && isRecord(a) ? {} : b;
  if (secret || !isRecord(ra) || !isRecord(rb)) return canonical(a) === canonical(b) ? [] : [{ path: prefix, before: a, after: b }];
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort(compareStr);
  return keys.flatMap((k) => changedLeaves(ra[k], rb[k], [...prefix, k]));
}

/** A SecretRef names where a secret lives ({source: "env", id: "DISCORD_BOT_TOKEN"}); the name is safe to show. */
function describeSecretRef(v: unknown): string | null {
  if (!isRecord(v) || typeof v.source !== 'string') return null;
  if (v.source === 'env' && typeof v.id === 'string') return `env:${v.id}`;
  return `a ${v.source} SecretRef`;
}

/** One changed leaf, in words: "allowFrom", "groups added", "token changed", "tokenFile now /run/agenix/x". */
export function describeLeaf(c: LeafChange, redact: Redact): string {
  const name = c.path.join('.');
  const key = c.path[c.path.length - 1] ?? '';
  if (isSecretPathKey(key) && typeof c.after === 'string' && /^[/~]/.test(c.after)) return `${name} now ${redact(c.after)}`;
  if (isSecretKey(key) || isSecretPathKey(key)) {
    if (c.after === undefined || c.after === null) return `${name} removed`;
    const ref = describeSecretRef(c.after);
    if (ref) return `${name} now ${redact(ref)}`;
    return c.before === undefined || c.before === null ? `${name} set` : `${name} changed`;
  }
  if (c.before === undefined) return `${name} added`;
  if (c.after === undefined) return `${name} removed`;
  return name;
}

/** A scalar for display (ports, bind modes); objects are not shown, strings go through redact. */
export function showScalar(v: unknown, redact: Redact): string {
  if (v === undefined || v === null) return 'unset';
  if (typeof v === 'string') return redact(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return 'an object';
}
