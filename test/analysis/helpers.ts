// Fixture loading for the analysis tests: real-looking flake.locks and captured Nix output.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

export const V10 = 'openclaw-v2026.6.10.flake.lock';
export const V11 = 'openclaw-v2026.6.11.flake.lock';
export const REV10 = 'ceeb2ef2334d270b21164982cbfa350afd83a376';
export const REV11 = '910c1ce89e6a6c7574ab97d3935afbe5310b5db7';

/** A fixture lock as plain JSON, changed by `edit`, back to text (for parseLock). */
export function lockText(name: string, edit?: (lock: any) => void): string {
  const lock = JSON.parse(fixture(name));
  edit?.(lock);
  return JSON.stringify(lock, null, 2);
}

/** Same data, keys in reverse order: output must not depend on the order of the input. */
export function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    );
  }
  return v;
}
