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
import { ownTokenHits, secretlintTokenHits } from './tokens.js';

export interface SourceFile {
  /** Relative to the flake root. */
  path: string;
  content: string;
}

export interface ScanOptions {
  /** Also run secretlint's recommended preset (default true; it is loaded lazily). */
  secretlint?: boolean;
}

/** Findings for literals at secret-bearing options of one Nix file. */
export function scanNixOptions(file: SourceFile): Finding[] {
  const out: Finding[] = [];
  for (const b of nixBindings(file.content)) {
    const f = optionFinding(file.path, b);
    if (f) out.push(f);
  }
  return out;
}

function optionFinding(file: string, b: Binding): Finding | null {
  const last = b.path[b.path.length - 1] ?? '';
  const env = envEntry(b.path);
  if (b.kind === 'path') {
    // A Nix path literal is copied into the store: fine for .age/sops files, not for plaintext.
    const secretish = isSecretOptionPath(b.path) || env !== null || /(?:token|password|secret|key)File$/i.test(last);
    return secretish && !/\.(?:age|enc|sops\.ya?ml|sops\.json)$|\.age\b/.test(b.value ?? '') ? storeFileFinding(file, b.line, b.path, b.value ?? '') : null;
  }
  if (!isSecretOptionPath(b.path)) {
    // An env entry without a secret-sounding name can still hold a credential.
    if (env !== null && b.kind === 'string' && looksRandom(b.value ?? '') && !isPublicValue(b.value ?? '')) {
      return inlineSecretFinding(file, b.line, b.path, b.value ?? '');
    }
    return null;
  }
  if (b.kind === 'readFile') return readFileFinding(file, b.line, b.path);
  if (b.kind !== 'string') return null; // attrsets (SecretRef), references and interpolations are fine
  const verdict = classifyLiteral(b.value ?? '');
  if (verdict === 'secret') return inlineSecretFinding(file, b.line, b.path, b.value ?? '');
  if (verdict === 'placeholder') return placeholderFinding(file, b.line, b.path);
  return null;
}

/** Our layers only (synchronous): option literals in .nix files and token shapes in every file. */
export function scanSourcesSync(files: readonly SourceFile[]): Finding[] {
  return files.flatMap((f) => {
    const options = f.path.endsWith('.nix') ? scanNixOptions(f) : [];
    const taken = new Set(options.map((o) => o.line));
    const tokens = ownTokenHits(f.content)
      .filter((h) => !taken.has(h.line))
      .map((h) => tokenFinding(f.path, h.line, h.ruleId, h.value));
    return sortByLine([...options, ...tokens]);
  });
}

/** Both layers, plus secretlint's preset on lines our rules did not flag. */
export async function scanSources(files: readonly SourceFile[], opts: ScanOptions = {}): Promise<Finding[]> {
  const own = scanSourcesSync(files);
  if (opts.secretlint === false) return own;
  const out: Finding[] = [];
  for (const f of files) {
    const mine = own.filter((x) => x.file === f.path);
    const extra = await secretlintTokenHits(f.content, f.path, new Set(mine.map((x) => x.line ?? 0)));
    out.push(...sortByLine([...mine, ...extra.map((h) => tokenFinding(f.path, h.line, h.ruleId, h.value))]));
  }
  return out;
}

function sortByLine(fs: Finding[]): Finding[] {
  return fs.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
