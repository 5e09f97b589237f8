// Layer 1 of both scanners: token-shaped literals anywhere in a file (our rules, then
// secretlint's preset for what ours do not know), one hit per secret: two secrets on one
// line are two findings, since each has to be moved out and rotated.
import { findSecrets } from './match.js';
import { TOKEN_RULES } from './rules.js';
import { isPlaceholder } from './mask.js';
import { lineIndex } from './lines.js';
import { secretlintHits } from './secretlint.js';

export interface TokenHit {
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  ruleId: string;
  value: string;
  /** Character range in the file. */
  start: number;
  end: number;
}

const KIND = new Map(TOKEN_RULES.map((r) => [r.id, r.kind]));

function hitAt(content: string, lineOf: (offset: number) => number, ruleId: string, start: number, end: number): TokenHit {
  return { line: lineOf(start), column: start - (content.lastIndexOf('\n', start - 1) + 1) + 1, ruleId, value: content.slice(start, end), start, end };
}

export function ownTokenHits(content: string): TokenHit[] {
  const lineOf = lineIndex(content);
  const hits: TokenHit[] = [];
  for (const s of findSecrets(content, true)) {
    const value = content.slice(s.start, s.end);
    // A placeholder under a secret name ("PASSWORD=changeme") is not a live secret.
    if (KIND.get(s.ruleId) === 'keyed' && isPlaceholder(value)) continue;
    hits.push(hitAt(content, lineOf, s.ruleId, s.start, s.end));
  }
  return hits;
}

/** secretlint hits that `covered` does not already account for (it may name one secret twice). */
export async function secretlintTokenHits(content: string, filePath: string, covered: (h: TokenHit) => boolean): Promise<TokenHit[]> {
  const lineOf = lineIndex(content);
  const hits: TokenHit[] = [];
  for (const h of await secretlintHits(content, filePath)) {
    const hit = hitAt(content, lineOf, h.ruleId, h.start, h.end);
    if (covered(hit) || hits.some((x) => overlaps(x, hit))) continue;
    hits.push(hit);
  }
  return hits;
}

export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The hits of one line, when it holds more than one: their messages then name the column. */
export function sharedLines(hits: readonly TokenHit[]): Set<number> {
  const seen = new Set<number>();
  const shared = new Set<number>();
  for (const h of hits) (seen.has(h.line) ? shared : seen).add(h.line);
  return shared;
}
