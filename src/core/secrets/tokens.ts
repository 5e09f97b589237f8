// Layer 1 of both scanners: token-shaped literals anywhere in a file (our rules, then
// secretlint's preset for what ours do not know), one hit per line.
import { findSecrets } from './match.js';
import { TOKEN_RULES } from './rules.js';
import { isPlaceholder } from './mask.js';
import { lineIndex } from './lines.js';
import { secretlintHits } from './secretlint.js';

export interface TokenHit {
  line: number;
  ruleId: string;
  value: string;
}

const KIND = new Map(TOKEN_RULES.map((r) => [r.id, r.kind]));

export function ownTokenHits(content: string): TokenHit[] {
  const lineOf = lineIndex(content);
  const seen = new Set<number>();
  const hits: TokenHit[] = [];
  for (const s of findSecrets(content, true)) {
    const value = content.slice(s.start, s.end);
    // A placeholder under a secret name ("PASSWORD=changeme") is not a live secret.
    if (KIND.get(s.ruleId) === 'keyed' && isPlaceholder(value)) continue;
    const line = lineOf(s.start);
    if (seen.has(line)) continue;
    seen.add(line);
    hits.push({ line, ruleId: s.ruleId, value });
  }
  return hits;
}

/** secretlint hits on lines that `skip` does not already cover. */
export async function secretlintTokenHits(content: string, filePath: string, skip: ReadonlySet<number>): Promise<TokenHit[]> {
  const lineOf = lineIndex(content);
  const hits: TokenHit[] = [];
  const seen = new Set(skip);
  for (const h of await secretlintHits(content, filePath)) {
    const line = lineOf(h.start);
    if (seen.has(line)) continue;
    seen.add(line);
    hits.push({ line, ruleId: h.ruleId, value: content.slice(h.start, h.end) });
  }
  return hits;
}
