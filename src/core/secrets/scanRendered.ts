// Second layer, after a build: the same detection over rendered files of the closure
// (openclaw.json, units, wrapper scripts). A finding names the store file.
import type { Finding } from '../plan/schema.js';
import { isSecretOptionPath } from './options.js';
import { classifyLiteral } from './classify.js';
import { lineIndex } from './lines.js';
import { renderedFinding } from './findings.js';
import { ownTokenHits, overlaps, secretlintTokenHits, sharedLines, type TokenHit } from './tokens.js';
import type { ScanOptions } from './scanSources.js';

export interface RenderedFile {
  storePath: string;
  content: string;
}

/** A finding at a secret-bearing key, with the literal it is about. */
interface Keyed {
  finding: Finding;
  line: number;
  value: string;
}

/** Literals at secret-bearing keys of a rendered JSON config (openclaw.json). */
function jsonFindings(file: RenderedFile): Keyed[] {
  let doc: unknown;
  try {
    doc = JSON.parse(file.content);
  } catch {
    return [];
  }
  const lineOf = lineIndex(file.content);
  const out: Keyed[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    else if (typeof v === 'string' && isSecretOptionPath(path)) {
      const verdict = classifyLiteral(v);
      if (verdict === 'ok') return;
      const at = file.content.indexOf(JSON.stringify(v));
      const line = at >= 0 ? lineOf(at) : 1;
      const live = verdict === 'secret';
      const finding = renderedFinding(file.storePath, line, `\`${path.join('.')}\` holds ${live ? 'a live secret' : 'a placeholder literal'}`, live ? v : null, live ? 'block' : 'warn');
      out.push({ finding, line, value: v });
    }
  };
  walk(doc, []);
  return out;
}

/** Whether a token hit is the literal a keyed finding already reports. */
function sameLiteral(keyed: readonly Keyed[], t: TokenHit): boolean {
  return keyed.some((k) => k.line === t.line && (k.value.includes(t.value) || t.value.includes(k.value)));
}

/** Token findings; the column is named when a line holds several secrets. */
function tokenFindings(storePath: string, hits: readonly TokenHit[]): Finding[] {
  const shared = sharedLines(hits);
  return hits.map((h) => renderedFinding(storePath, h.line, `a token-shaped secret (${h.ruleId}${shared.has(h.line) ? `, column ${h.column}` : ''})`, h.value));
}

function findingsOf(f: RenderedFile, keyed: readonly Keyed[], tokens: TokenHit[]): Finding[] {
  tokens.sort((a, b) => a.start - b.start);
  return byLine([...keyed.map((k) => k.finding), ...tokenFindings(f.storePath, tokens)]);
}

/** Our layers only (synchronous): secret keys of JSON configs and token shapes in every file. */
export function scanRenderedSync(files: readonly RenderedFile[]): Finding[] {
  return files.flatMap((f) => {
    const keyed = jsonFindings(f);
    return findingsOf(
      f,
      keyed,
      ownTokenHits(f.content).filter((t) => !sameLiteral(keyed, t)),
    );
  });
}

/** Both layers, plus secretlint's preset for secrets our rules did not flag. */
export async function scanRendered(files: readonly RenderedFile[], opts: ScanOptions = {}): Promise<Finding[]> {
  if (opts.secretlint === false) return scanRenderedSync(files);
  const out: Finding[] = [];
  for (const f of files) {
    const keyed = jsonFindings(f);
    const tokens = ownTokenHits(f.content).filter((t) => !sameLiteral(keyed, t));
    tokens.push(...(await secretlintTokenHits(f.content, f.storePath, (t) => sameLiteral(keyed, t) || tokens.some((o) => overlaps(o, t)))));
    out.push(...findingsOf(f, keyed, tokens));
  }
  return out;
}

function byLine(fs: Finding[]): Finding[] {
  return fs.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
