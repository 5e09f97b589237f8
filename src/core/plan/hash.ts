// Canonical JSON (sorted keys, no whitespace) and its sha256: the same plan always has the
// same bytes and the same hash, so a reviewed runbook can be checked before it runs.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hash of a plan: sha256 of its canonical JSON without the `hash` field. */
export function planHash(plan: Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = plan;
  return `sha256:${sha256(canonicalJson(rest))}`;
}
