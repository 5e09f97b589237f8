// Exact-value masking, the way CI masks registered secrets: whatever the rules would
// miss (a password with no telling shape), a value we know is secret is still removed.
import { isPublicValue } from '../secrets/allowlist.js';
import { placeholder } from '../secrets/rules.js';

const SECRET_ENV_NAME = /KEY|SECRET|TOKEN|PASS/i;
// Pointers to secrets, not secrets: masking them would hide paths people need to see.
const POINTER_NAME = /_(?:FILE|PATH|DIR|URL_FILE)$/i;
const MIN_LENGTH = 8;

export class KnownValues {
  private readonly values = new Map<string, string>();
  private sorted: string[] | null = null;

  get size(): number {
    return this.values.size;
  }

  /** Registers a secret value. A multi-line value is registered line by line, since output is redacted per line. */
  add(value: string, label: string): void {
    const id = label.replace(/[^A-Za-z0-9_.:-]/g, '_') || 'known';
    for (const part of value.split(/\r?\n/)) {
      const v = part.trim();
      if (v.length < MIN_LENGTH || isPublicValue(v)) continue;
      if (!this.values.has(v)) {
        this.values.set(v, id);
        this.sorted = null;
      }
    }
  }

  /** Registers env values whose names look secret (KEY|SECRET|TOKEN|PASS), skipping paths. */
  addFromEnv(env: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(env)) {
      if (!value || !SECRET_ENV_NAME.test(name) || POINTER_NAME.test(name)) continue;
      if (/^(?:\/|~\/|\.\.?\/)/.test(value)) continue;
      this.add(value, name);
    }
  }

  /** Replaces every known value, longest first (so a value containing another goes whole). */
  mask(text: string, onHit: (label: string) => void): string {
    if (this.values.size === 0) return text;
    // indexOf per value: a needle of 8+ chars is skipped through fast, where a regex
    // alternation would try every position that starts like one of the values.
    this.sorted ??= [...this.values.keys()].sort((a, b) => b.length - a.length);
    let out = text;
    for (const v of this.sorted) {
      if (!out.includes(v)) continue;
      const parts = out.split(v);
      const label = this.values.get(v)!;
      for (let i = 1; i < parts.length; i++) onHit(label);
      out = parts.join(placeholder(label));
    }
    return out;
  }
}
