// Shared set-up for the records tests: a fresh directory per test and child node processes
// that use the real module (through tsx), so crashes and concurrency are real.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach } from 'vitest';
import type { DeploymentInput } from '../../src/core/records/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RECORDS_URL = pathToFileURL(join(ROOT, 'src/core/records/index.ts')).href;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'clawdeploy-records-'));
  dirs.push(d);
  return d;
}

export const GEN = (n: number) => ({ number: n, storePath: `/nix/store/${String(n).padStart(32, '0')}-home-manager-generation` });

export function deployment(over: Partial<DeploymentInput> = {}): DeploymentInput {
  return {
    host: 'staging-1',
    environment: 'staging',
    target: 'ssh://root@10.0.0.2',
    kind: 'home-manager',
    operation: 'apply',
    flakeDir: '/src/flake',
    flakeRev: 'a'.repeat(40),
    dirty: false,
    lockHash: 'f'.repeat(64),
    planHash: 'e'.repeat(64),
    generationBefore: GEN(1),
    approver: 'alice',
    ...over,
  };
}

/** Runs `code` as an ES module in a child node that can import the records module (as `R`). */
export function nodeChild(code: string, env: Record<string, string> = {}): ChildProcess {
  const program = `const R = await import(${JSON.stringify(RECORDS_URL)});\n${code}`;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the child's first line of stdout; rejects if it exits first (with its stderr). */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before printing: ${err}`)));
  });
}

/** Resolves with all of the child's stdout once it exits 0. */
export function run(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code, signal) => (code === 0 ? resolve(out) : reject(new Error(`child exited (${code ?? signal}): ${err}`))));
  });
}
