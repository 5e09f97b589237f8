// Public values that look random and must never be redacted or reported: Nix store
// hashes, content hashes, git revisions, age recipients, UUIDs, ssh public keys.
// Changing them would corrupt logs people paste into bug reports and break diffs.
import type { RuleKind } from './rules.js';

const NIX32 = '0-9a-df-np-sv-z'; // Nix base32 leaves out e, o, t, u
const PUBLIC_VALUE = new RegExp(
  [
    `^[${NIX32}]{32}$`, // store path hash
    `^[${NIX32}]{52}$`, // sha256 in Nix base32
    `^(?:sha1|sha256|sha384|sha512|md5)[-:][A-Za-z0-9+/=_-]+$`, // SRI / prefixed hashes (narHash)
    '^age1[02-9ac-hj-np-z]{58}$', // age recipient (bech32)
    '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', // UUID
    '^(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com)\\b', // ssh public key type
    '^AAAA[BC][0-9A-Za-z+/]+=*$', // ssh public key body
    '^[A-Za-z0-9.-]+-\\d+:[A-Za-z0-9+/]{43}=$', // Nix binary-cache public key
  ].join('|'),
);
/** Git revision; public unless a secret-bearing name precedes it (48/64-hex gateway tokens exist). */
const GIT_REV = /^[0-9a-f]{40}$/;

const DELIM = /[\s"'=,;()<>[\]{}`]/;

/** The delimited word around [start, end): a store path or ssh key around a match makes it public. */
function wordStart(text: string, start: number): number {
  let i = start;
  const stop = Math.max(0, start - 300);
  while (i > stop && !DELIM.test(text[i - 1]!)) i--;
  return i;
}

export function isPublicValue(value: string, kind: RuleKind = 'shape'): boolean {
  return PUBLIC_VALUE.test(value) || (kind === 'shape' && GIT_REV.test(value));
}

/** Whether a candidate at [start, end) of `text` is a public value or part of one. */
export function isAllowlisted(text: string, start: number, end: number, kind: RuleKind): boolean {
  const value = text.slice(start, end);
  if (isPublicValue(value, kind)) return true;
  const ws = wordStart(text, start);
  const word = text.slice(ws, end);
  if (word.includes('/nix/store/')) return true;
  if (word !== value && isPublicValue(word, kind)) return true;
  // ssh public key: "ssh-ed25519 AAAA… comment" has the key type as the previous word.
  return /(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|@openssh\.com)\s+$/.test(text.slice(Math.max(0, ws - 48), ws));
}
