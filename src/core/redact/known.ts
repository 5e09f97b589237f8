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
  /** The sorted values as their UTF-8 bytes read as Latin-1, for the byte path. */
  private sortedBytes: Array<[bytes: string, label: string]> | null = null;
  private finder: { ascii: string[]; any: RegExp | null; wide: Buffer[] } | null = null;

  /** The registered values and their labels, to hand to a worker thread. */
  entries(): Array<[value: string, label: string]> {
    return [...this.values];
  }

  static fromEntries(entries: ReadonlyArray<readonly [string, string]>): KnownValues {
    const k = new KnownValues();
    for (const [v, id] of entries) k.values.set(v, id);
    return k;
  }

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
        this.sortedBytes = null;
        this.finder = null;
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

  /**
   * Whether any value occurs in a block: ASCII values are looked for in `text` (the block as
   * the byte path's one-byte stand-in, equal to the bytes on ASCII; null: not available),
   * others in the bytes. A quick test: the block is masked only when it says yes.
   */
  occursIn(text: string | null, bytes: Buffer): boolean {
    if (this.values.size === 0) return false;
    if (!this.finder) {
      const ascii = [...this.values.keys()].filter((v) => /^[\x00-\x7f]*$/.test(v));
      const wide = [...this.values.keys()].filter((v) => !ascii.includes(v)).map((v) => Buffer.from(v, 'utf8'));
      // One indexOf per value is fastest for a few; for many, one alternation scans once.
      const any = ascii.length > 4 ? new RegExp(ascii.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')) : null;
      this.finder = { ascii, any, wide };
    }
    const f = this.finder;
    if (text === null) {
      if (f.ascii.some((v) => bytes.includes(v, 0, 'latin1'))) return true;
    } else if (f.any ? f.any.test(text) : f.ascii.some((v) => text.includes(v))) return true;
    return f.wide.some((v) => bytes.includes(v));
  }

  /**
   * The start of a registered value that runs across position `at` of `text` (a long line about
   * to be cut there; `bytes`: one char per UTF-8 byte), or -1.
   */
  crossing(text: string, at: number, bytes = false): number {
    if (this.values.size === 0) return -1;
    this.sorted ??= [...this.values.keys()].sort((a, b) => b.length - a.length);
    this.sortedBytes ??= this.sorted.map((v) => [Buffer.from(v, 'utf8').toString('latin1'), this.values.get(v)!]);
    const values = bytes ? this.sortedBytes.map(([v]) => v) : this.sorted;
    let first = -1;
    for (const v of values) {
      // The first occurrence from here is the only one that can start before `at` and cover it.
      const i = text.indexOf(v, Math.max(0, at - v.length + 1));
      if (i >= 0 && i < at && (first < 0 || i < first)) first = i;
    }
    return first;
  }

  /**
   * The same on a block of UTF-8 bytes read as Latin-1 (one char per byte). Byte substrings of
   * valid UTF-8 match exactly where the decoded text would, so this gives the bytes of `mask`.
   */
  maskBytes(bytes: string, onHit: (label: string) => void): string {
    if (this.values.size === 0) return bytes;
    this.sorted ??= [...this.values.keys()].sort((a, b) => b.length - a.length);
    this.sortedBytes ??= this.sorted.map((v) => [Buffer.from(v, 'utf8').toString('latin1'), this.values.get(v)!]);
    let out = bytes;
    for (const [v, label] of this.sortedBytes) {
      if (!out.includes(v)) continue;
      const parts = out.split(v);
      for (let i = 1; i < parts.length; i++) onHit(label);
      out = parts.join(placeholder(label));
    }
    return out;
  }
}
