// Where to cut a line too long to hold whole (no newline within maxLine), so that redacting
// the two pieces apart gives what redacting the whole line would. Cutting at the last space
// was not enough: a quoted passphrase holds spaces, `token = value` has one before its value,
// and a line without separators was cut anywhere ("oken=abcdef…" went out as it was).
//
// A candidate cut is checked, not assumed: the rules run on a window around it, whole and as
// its two halves, and must find the same secrets (a name cut from its value, a token cut in
// two, show up as a difference). A value longer than the window (an unquoted run of many KB
// under a secret name) is checked at the start of its run. Registered values must not cross
// the cut either. When nothing in the range is safe (one secret longer than the range), the
// caller holds more of the line and tries again.
import { findSecrets, type SecretSpan } from '../secrets/match.js';
import type { KnownValues } from './known.js';

/** Context each side of a cut that the rules may look at (names, URLs, allowlist words, PEM-in-JSON bodies). */
export const CUT_WINDOW = 8192;
/** Candidates checked per cut before giving up (each check is three small scans). */
const MAX_TRIES = 64;
/** Characters that end an unquoted value (rules.ts, ASSIGN_VALUE): a run of anything else may be one value. */
const RUN_END = /[\s"'\\,;&<>`(){}[\]\x1b]/;
const RUN_END_ASCII = Uint8Array.from({ length: 128 }, (_, i) => (RUN_END.test(String.fromCharCode(i)) ? 1 : 0));
/** A run may be long: a table lookup per char, not a regex test. */
export function endsRun(code: number): boolean {
  return code < 128 ? RUN_END_ASCII[code] === 1 : RUN_END.test(String.fromCharCode(code));
}

export interface CutOptions {
  /** Registered values, which must not be cut either. */
  known?: KnownValues | undefined;
  /** `text` holds UTF-8 bytes one char each: do not cut inside a character, and compare registered values as bytes. */
  bytes?: boolean;
}

/**
 * A cut in [lo, hi] of `text` (the held part of a long line; more may follow it, so hi must
 * leave CUT_WINDOW chars after it), preferring just after a space, tab or comma; -1 if none is safe.
 */
export function safeCut(text: string, lo: number, hi: number, opts: CutOptions = {}): number {
  let c = hi;
  for (let tries = 0; tries < MAX_TRIES && c >= lo && c > 0; tries++) {
    let cand = lastSeparatorCut(text, lo, c);
    if (cand < 0) cand = charBoundary(text, c, opts.bytes === true);
    if (cand < lo || cand <= 0) return -1;
    const next = unsafeAt(text, cand, opts);
    if (next < 0) return cand;
    c = Math.min(next, cand - 1);
  }
  return -1;
}

/** The last position in [lo, c] right after a separator, or -1. */
function lastSeparatorCut(text: string, lo: number, c: number): number {
  if (c < 1) return -1;
  const i = Math.max(text.lastIndexOf(' ', c - 1), text.lastIndexOf('\t', c - 1), text.lastIndexOf(',', c - 1)) + 1;
  return i >= lo && i > 0 ? i : -1;
}

/** `c`, moved back off the middle of a character (a UTF-8 sequence, or a surrogate pair). */
function charBoundary(text: string, c: number, bytes: boolean): number {
  let i = c;
  if (bytes) while (i > 0 && (text.charCodeAt(i) & 0xc0) === 0x80) i--;
  else if (i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) i--;
  return i;
}

/** -1 if cutting before `c` changes nothing; else a position left of which to look next. */
function unsafeAt(text: string, c: number, opts: CutOptions): number {
  const a = Math.max(0, c - CUT_WINDOW);
  const b = Math.min(text.length, c + CUT_WINDOW);
  const window = text.slice(a, b);
  const k = c - a;
  const whole = findSecrets(window, true);
  const halves = [...findSecrets(window.slice(0, k), true), ...findSecrets(window.slice(k), true).map((s) => ({ ...s, start: s.start + k, end: s.end + k }))];
  const differ = difference(whole, halves);
  // A difference right of the cut (a match the left context would have ruled out): before the
  // word the cut is in, rather than one char at a time.
  if (differ >= 0) return a + differ < c ? a + differ : wordStart(text, c) - 1;
  const run = longRunStart(text, c);
  if (run >= 0) return run;
  const known = opts.known?.crossing(text, c, opts.bytes === true) ?? -1;
  return known >= 0 ? known : -1;
}

/** The leftmost start among spans found one way and not the other, or -1 when both agree. */
function difference(x: readonly SecretSpan[], y: readonly SecretSpan[]): number {
  const key = (s: SecretSpan): string => `${s.start}:${s.end}:${s.ruleId}`;
  const kx = new Set(x.map(key));
  const ky = new Set(y.map(key));
  let first = -1;
  for (const s of [...x.filter((s) => !ky.has(key(s))), ...y.filter((s) => !kx.has(key(s)))]) if (first < 0 || s.start < first) first = s.start;
  return first;
}

/**
 * When `c` is inside a run of value characters that started more than half a window before it,
 * and a secret starts that run (a value of many KB under a secret name), the run's start;
 * else -1. The window check cannot see such a value: it only sees the middle of the run.
 */
function longRunStart(text: string, c: number): number {
  if (c >= text.length || endsRun(text.charCodeAt(c)) || endsRun(text.charCodeAt(c - 1))) return -1;
  const s = wordStart(text, c);
  if (c - s <= CUT_WINDOW / 2) return -1;
  const from = Math.max(0, s - CUT_WINDOW);
  const to = Math.min(c, s + CUT_WINDOW);
  // A secret that reaches the end of this stretch runs on through the run (no rule's match is that long otherwise).
  return findSecrets(text.slice(from, to), true).some((x) => x.end === to - from) ? Math.max(0, s - 1) : -1;
}

/**
 * For a cut that has to be made anyway (the line outgrew what may be held): where to cut near
 * `c`, and whether the rest of a secret's run after it must be dropped. A short run is cut
 * before; inside a long secret run (its match runs to the cut, so the left piece ends in its
 * placeholder) the cut stays and the run's rest is swallowed: it is the same secret.
 */
export function forcedCut(text: string, c: number): { cut: number; swallow: boolean } {
  const a = Math.max(0, c - CUT_WINDOW);
  const crossing = findSecrets(text.slice(a, Math.min(text.length, c + CUT_WINDOW)), true).some((x) => a + x.start < c && a + x.end > c);
  if (!crossing && longRunStart(text, c) < 0) return { cut: c, swallow: false };
  const s = wordStart(text, c);
  return s > 0 && c - s <= CUT_WINDOW ? { cut: s, swallow: false } : { cut: c, swallow: true };
}

/** The end of the run of value characters that starts at `from`. */
export function runEnd(text: string, from: number): number {
  let e = from;
  while (e < text.length && !endsRun(text.charCodeAt(e))) e++;
  return e;
}

/** The start of the run of value characters that holds position `c` (`c` itself at its start). */
function wordStart(text: string, c: number): number {
  let s = c;
  while (s > 0 && !endsRun(text.charCodeAt(s - 1))) s--;
  return s;
}
