// Static scan of flake sources, run before Nix touches the flake: evaluating a flake
// copies its whole source into the world-readable store, so a secret written in any
// file leaks as soon as anything is evaluated.
import type { Finding } from '../plan/schema.js';
import { nixBindings, type Binding } from './nixWalk.js';
import { envEntry, isSecretOptionPath } from './options.js';
import { classifyLiteral } from './classify.js';
import { looksRandom } from './mask.js';
import { isPublicValue } from './allowlist.js';
import { inlineSecretFinding, placeholderFinding, readFileFinding, storeFileFinding, tokenFinding } from './findings.js';
import { ownTokenHits, overlaps, secretlintTokenHits, sharedLines, type TokenHit } from './tokens.js';
import { secretHistory, UNKNOWN, type GitHistory } from './gitHistory.js';

export interface SourceFile {
  /** Relative to the flake root. */
  path: string;
  content: string;
}

export interface ScanOptions {
  /** Also run secretlint's recommended preset (default true; it is loaded lazily). */
  secretlint?: boolean;
  /**
   * The flake directory the paths are relative to: a finding then says whether git history
   * holds the secret (gitHistory.ts). Without it, the finding says neither.
   */
  flakeDir?: string;
}

/** A finding with the literal behind it (kept here, never in the finding). */
interface Hit {
  file: string;
  line: number;
  /** For the history check and to match secretlint's hits; absent for findings without a literal. */
  value?: string;
  make: (history: GitHistory) => Finding;
}

/** Findings for literals at secret-bearing options of one Nix file. */
export function scanNixOptions(file: SourceFile): Finding[] {
  return optionHits(file).map((h) => h.make(UNKNOWN));
}

function optionHits(file: SourceFile): Hit[] {
  const out: Hit[] = [];
  for (const b of nixBindings(file.content)) {
    const h = optionHit(file.path, b);
    if (h) out.push(h);
  }
  return out;
}

function optionHit(file: string, b: Binding): Hit | null {
  const last = b.path[b.path.length - 1] ?? '';
  const env = envEntry(b.path);
  const value = b.value ?? '';
  const at = { file, line: b.line };
  const inline = (): Hit => ({ ...at, value, make: (h) => inlineSecretFinding(file, b.line, b.path, value, h) });
  if (b.kind === 'path') {
    // A Nix path literal is copied into the store: fine for .age/sops files, not for plaintext.
    const secretish = isSecretOptionPath(b.path) || env !== null || /(?:token|password|secret|key)File$/i.test(last);
    return secretish && !/\.(?:age|enc|sops\.ya?ml|sops\.json)$|\.age\b/.test(value) ? { ...at, make: () => storeFileFinding(file, b.line, b.path, value) } : null;
  }
  if (!isSecretOptionPath(b.path)) {
    // An env entry without a secret-sounding name can still hold a credential.
    if (env !== null && b.kind === 'string' && looksRandom(value) && !isPublicValue(value)) return inline();
    return null;
  }
  if (b.kind === 'readFile') return { ...at, make: () => readFileFinding(file, b.line, b.path) };
  if (b.kind !== 'string') return null; // attrsets (SecretRef), references and interpolations are fine
  const verdict = classifyLiteral(value);
  if (verdict === 'secret') return inline();
  if (verdict === 'placeholder') return { ...at, make: () => placeholderFinding(file, b.line, b.path) };
  return null;
}

/** Whether a token hit is the literal an option finding already reports. */
function sameLiteral(options: readonly Hit[], t: TokenHit): boolean {
  return options.some((o) => o.line === t.line && o.value !== undefined && o.value !== '' && (o.value.includes(t.value) || t.value.includes(o.value)));
}

function tokenHits(f: SourceFile, tokens: readonly TokenHit[]): Hit[] {
  const shared = sharedLines(tokens);
  return tokens.map((t) => ({
    file: f.path,
    line: t.line,
    value: t.value,
    make: (h: GitHistory) => tokenFinding(f.path, t.line, t.ruleId, t.value, h, shared.has(t.line) ? t.column : undefined),
  }));
}

/** Our layers only (synchronous): option literals in .nix files and token shapes in every file. */
export function scanSourcesSync(files: readonly SourceFile[]): Finding[] {
  return files.flatMap((f) => {
    const options = f.path.endsWith('.nix') ? optionHits(f) : [];
    const tokens = ownTokenHits(f.content).filter((t) => !sameLiteral(options, t));
    return sortByLine([...options, ...tokenHits(f, tokens)].map((h) => h.make(UNKNOWN)));
  });
}

/** Both layers, plus secretlint's preset for secrets our rules did not flag; with `flakeDir`, what git holds. */
export async function scanSources(files: readonly SourceFile[], opts: ScanOptions = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of files) {
    const options = f.path.endsWith('.nix') ? optionHits(f) : [];
    const tokens = ownTokenHits(f.content).filter((t) => !sameLiteral(options, t));
    if (opts.secretlint !== false) tokens.push(...(await secretlintTokenHits(f.content, f.path, (t) => sameLiteral(options, t) || tokens.some((o) => overlaps(o, t)))));
    tokens.sort((a, b) => a.start - b.start);
    const hits = [...options, ...tokenHits(f, tokens)];
    const history = opts.flakeDir === undefined ? null : await historyOf(opts.flakeDir, f, hits);
    out.push(...sortByLine(hits.map((h) => h.make(history?.get(h) ?? UNKNOWN))));
  }
  return out;
}

/**
 * What git holds of each literal. A short value (the empty body of a PEM key's BEGIN line) is
 * looked for as its line and the next one, so that one common word does not decide.
 */
async function historyOf(dir: string, f: SourceFile, hits: readonly Hit[]): Promise<Map<Hit, GitHistory>> {
  const lines = f.content.split('\n');
  const needle = (h: Hit): string | null => {
    if (h.value === undefined) return null;
    if (h.value.trim().length >= 8) return h.value;
    return lines.slice(h.line - 1, h.line + 1).join('\n');
  };
  const needles = hits.map(needle);
  const found = await secretHistory(dir, f.path, [...new Set(needles.filter((n): n is string => n !== null))]);
  const out = new Map<Hit, GitHistory>();
  hits.forEach((h, i) => {
    const n = needles[i];
    if (n !== null && n !== undefined) out.set(h, found.get(n) ?? UNKNOWN);
  });
  return out;
}

function sortByLine(fs: Finding[]): Finding[] {
  return fs.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
