// Where clawdeploy's own files are (package.json, prompts/, fixtures/, the built worker). Found
// by walking up from this module, so it holds from src/ (tsx, vitest), from the esbuild bundle
// in dist/ (whose chunks sit at another depth) and from an npm install.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'clawdeploy') return dir;
    if (dirname(dir) === dir) throw new Error(`clawdeploy's package.json not found above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const PACKAGE_JSON = join(PACKAGE_ROOT, 'package.json');
export const BUILD_DIR = join(PACKAGE_ROOT, 'dist');

let version: string | undefined;
/** clawdeploy's version, from its package.json (read once, when first asked). */
export function packageVersion(): string {
  version ??= String((JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  return version;
}
