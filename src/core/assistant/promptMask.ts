// The last mask on the way to a model provider, after the redactor. The redactor knows token
// shapes and registered values, but a bare random hex token (a 48-hex gateway token in a log
// line or an env file) has no telling shape; on the model-bound path we would rather hide a
// public value than send a secret (agent-anchors §4: "an entropy check only on the
// model-bound path"). Store paths, SRI/narHash values, git revisions and UUIDs stay.
import { isAllowlisted } from '../secrets/allowlist.js';
import { entropy, isPathLike } from '../secrets/mask.js';

// Words split like the allowlist splits them, so its store-path and hash checks see whole values.
const WORD = /[^\s"'=,;()<>[\]{}`]+/g;
const HEX = /^[0-9a-fA-F]{32,}$/;

/** Mixed-case, digit-bearing, high-entropy and long: a base64/base62 credential without a known shape. */
function opaqueToken(w: string): boolean {
  return w.length >= 32 && /^[A-Za-z0-9+/_-]+=*$/.test(w) && /[0-9]/.test(w) && /[a-z]/.test(w) && /[A-Z]/.test(w) && entropy(w) >= 4.3;
}

export function maskOpaque(text: string): string {
  return text.replace(WORD, (word, offset: number) => {
    const core = word.replace(/[.:?!]+$/, '');
    if (core.length < 32 || isPathLike(core)) return word;
    if (isAllowlisted(text, offset, offset + core.length, 'shape')) return word;
    if (HEX.test(core)) return `[REDACTED:opaque-hex]${word.slice(core.length)}`;
    if (opaqueToken(core)) return `[REDACTED:opaque-token]${word.slice(core.length)}`;
    return word;
  });
}
