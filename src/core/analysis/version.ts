// OpenClaw versions are calendar versions (2026.6.11); nix-openclaw mirrors them as tags v2026.6.11.

const TAG = /^v?(\d+(?:\.\d+)+)(?:-([0-9A-Za-z.-]+))?$/;

/** `v2026.6.11` or `refs/tags/v2026.6.11` → the tag `v2026.6.11`; branch names like `main` → null. */
export function versionTag(ref: string | undefined): string | null {
  if (!ref) return null;
  const tag = ref.replace(/^refs\/tags\//, '');
  return TAG.test(tag) ? tag : null;
}

/** `v2026.6.11` → `2026.6.11` (a pre-release suffix is kept: `2026.7.1-beta.2`). */
export function tagVersion(tag: string): string {
  return tag.replace(/^v/, '');
}

/** Numeric, segment by segment (2026.6.10 < 2026.6.11); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const [aMain = '', aPre] = splitPre(a);
  const [bMain = '', bPre] = splitPre(b);
  const as = aMain.split('.').map(Number);
  const bs = bMain.split('.').map(Number);
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = (as[i] ?? 0) - (bs[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (aPre === bPre) return 0;
  if (aPre === undefined) return 1;
  if (bPre === undefined) return -1;
  return aPre < bPre ? -1 : 1;
}

function splitPre(v: string): [string, string | undefined] {
  const i = v.indexOf('-');
  return i < 0 ? [v, undefined] : [v.slice(0, i), v.slice(i + 1)];
}
