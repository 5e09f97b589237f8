// Helpers that judge a value without ever printing it.

/** A short masked prefix for messages: enough to recognise the secret, never enough to use it. */
export function maskSecret(value: string): string {
  const v = value.trim();
  if (v.length >= 16) return `${v.slice(0, 4)}…`;
  if (v.length >= 10) return `${v.slice(0, 2)}…`;
  return '…';
}

const PLACEHOLDER_WORDS =
  /^(?:change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|todo|fixme|tbd|placeholder|example|dummy|test(?:ing)?|secret|password|passwd|token|api[-_ ]?key|fake|redacted|none|null|empty|xxx+|\*+|\.\.\.|…)$/i;
const PLACEHOLDER_PARTS = /^<.*>$|^@[A-Za-z_]+@$|^\$\{?[A-Za-z_]+\}?$|change[-_]?me|replace[-_]?me|placeholder|your[-_ ]|[-_ ]here$|^x{4,}|x{6,}$/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const freq = new Map<string, number>();
  for (const c of s) freq.set(c, (freq.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** "changeme", "<gatewayToken>", "xxxxxxxx", "@TOKEN@": a value meant to be replaced. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v.length < 6 || PLACEHOLDER_WORDS.test(v) || PLACEHOLDER_PARTS.test(v) || new Set(v).size <= 3 || entropy(v) < 2;
}

/** A path or reference to where a secret lives (the right way), not the secret. */
export function isPathLike(value: string): boolean {
  return /^(?:\/|~\/|\.\.?\/|\$|@[A-Za-z_]+@\/)/.test(value.trim());
}

/** Random enough to be a credential even without a telling name or shape. */
export function looksRandom(value: string): boolean {
  const v = value.trim();
  return v.length >= 16 && !/\s/.test(v) && /[0-9]/.test(v) && /[A-Za-z]/.test(v) && entropy(v) >= 3.5 && !isPathLike(v);
}
