// Second layer, after a build: the same detection over rendered files of the closure
// (openclaw.json, units, wrapper scripts). A finding names the store file.
import type { Finding } from '../plan/schema.js';
import { isSecretOptionPath } from './options.js';
import { classifyLiteral } from './classify.js';
import { lineIndex } from './lines.js';
import { renderedFinding } from './findings.js';
import { ownTokenHits, secretlintTokenHits } from './tokens.js';
import type { ScanOptions } from './scanSources.js';

export interface RenderedFile {
  storePath: string;
  content: string;
}

/** Literals at secret-bearing keys of a rendered JSON config (openclaw.json). */
function jsonFindings(file: RenderedFile): Finding[] {
  let doc: unknown;
  try {
    doc = JSON.parse(file.content);
  } catch {
    return [];
  }
  const lineOf = lineIndex(file.content);
  const out: Finding[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    else if (typeof v === 'string' && isSecretOptionPath(path)) {
      const verdict = classifyLiteral(v);
      if (verdict === 'ok') return;
      const at = file.content.indexOf(JSON.stringify(v));
      const line = at >= 0 ? lineOf(at) : 1;
      const live = verdict === 'secret';
      out.push(renderedFinding(file.storePath, line, `\`${path.join('.')}\` holds ${live ? 'a live secret' : 'a placeholder literal'}`, live ? v : null, live ? 'block' : 'warn'));
    }
  };
  walk(doc, []);
  return out;
}

/** Our layers only (synchronous): secret keys of JSON configs and token shapes in every file. */
export function scanRenderedSync(files: readonly RenderedFile[]): Finding[] {
  return files.flatMap((f) => {
    const found = jsonFindings(f);
    const taken = new Set(found.map((x) => x.line ?? 0));
    for (const h of ownTokenHits(f.content)) {
      if (taken.has(h.line)) continue;
      taken.add(h.line);
      found.push(renderedFinding(f.storePath, h.line, `a token-shaped secret (${h.ruleId})`, h.value));
    }
    return byLine(found);
  });
}

/** Both layers, plus secretlint's preset on lines our rules did not flag. */
export async function scanRendered(files: readonly RenderedFile[], opts: ScanOptions = {}): Promise<Finding[]> {
  const own = scanRenderedSync(files);
  if (opts.secretlint === false) return own;
  const out: Finding[] = [];
  for (const f of files) {
    const mine = own.filter((x) => x.storePath === f.storePath);
    const extra = await secretlintTokenHits(f.content, f.storePath, new Set(mine.map((x) => x.line ?? 0)));
    out.push(...byLine([...mine, ...extra.map((h) => renderedFinding(f.storePath, h.line, `a token-shaped secret (${h.ruleId})`, h.value))]));
  }
  return out;
}

function byLine(fs: Finding[]): Finding[] {
  return fs.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
