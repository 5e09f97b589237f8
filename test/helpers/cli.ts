// Runs the real binary (bin/clawdeploy.mjs -> dist/) as a user would.
import { execa } from 'execa';
import { resolve } from 'node:path';
import { NIX_ENV } from './fixtures.js';

const BIN = resolve(import.meta.dirname, '../../bin/clawdeploy.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<CliResult> {
  const r = await execa('node', [BIN, ...args], {
    env: { ...process.env, ...NIX_ENV, ...opts.env },
    input: opts.input,
    cwd: opts.cwd,
    reject: false,
    timeout: 300_000,
  });
  return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Everything a run printed, to assert that no secret leaked. */
export const printed = (r: CliResult) => `${r.stdout}\n${r.stderr}`;
