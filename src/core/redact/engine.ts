// Redacts a block of whole lines: known values first, then the shared rule table.
import { findSecrets } from '../secrets/match.js';
import { placeholder } from '../secrets/rules.js';
import type { KnownValues } from './known.js';
import { PemState } from './pem.js';

export interface RedactStats {
  redactions: number;
  byRule: Record<string, number>;
}

export function newStats(): RedactStats {
  return { redactions: 0, byRule: {} };
}

/** Per-stream state: a PEM key may continue into the next block. */
export class BlockRedactor {
  private readonly pem = new PemState();
  private readonly hit = (id: string): void => {
    this.stats.redactions++;
    this.stats.byRule[id] = (this.stats.byRule[id] ?? 0) + 1;
  };

  constructor(
    private readonly known: KnownValues,
    readonly stats: RedactStats,
  ) {}

  redact(block: string): string {
    const text = this.known.mask(block, this.hit);
    // Keys are rare: lines before a BEGIN marker and after the END go through the fast
    // block path; only the key's own lines are handled one at a time.
    let out = '';
    let pos = 0;
    while (pos < text.length) {
      if (this.pem.lines > 0) {
        const [line, next] = lineAt(text, pos);
        out += this.pem.bodyLine(line, this.hit) ?? this.opening(line);
        out += text.slice(pos + line.length, next);
        pos = next;
        continue;
      }
      const marker = text.indexOf('PRIVATE KEY', pos);
      if (marker < 0) return out + this.rules(pos === 0 ? text : text.slice(pos));
      const lineStart = Math.max(pos, text.lastIndexOf('\n', marker) + 1);
      out += this.rules(text.slice(pos, lineStart));
      const [line, next] = lineAt(text, lineStart);
      out += this.opening(line) + text.slice(lineStart + line.length, next);
      pos = next;
    }
    return out;
  }

  /** An ordinary line that may open a multi-line key. */
  private opening(line: string): string {
    const out = this.rules(line);
    if (this.pem.opens(out)) this.pem.lines = 1;
    return out;
  }

  private rules(text: string): string {
    const spans = findSecrets(text);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const s of spans) {
      if (s.end === s.start) continue;
      out += text.slice(at, s.start) + placeholder(s.ruleId);
      at = s.end;
      this.hit(s.ruleId);
    }
    return out + text.slice(at);
  }
}

/** The line starting at `pos` (without its newline) and where the next line starts. */
function lineAt(text: string, pos: number): [string, number] {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? [text.slice(pos), text.length] : [text.slice(pos, nl), nl + 1];
}
