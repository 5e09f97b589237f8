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

/**
 * The environment a person's shell would give clawdeploy: without what vitest adds to its
 * workers. The real OpenClaw CLI prints nothing at all when it sees VITEST=true, and clawdeploy
 * passes its environment on to the commands it runs on a local host.
 */
export function userEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !VITEST_VARS.has(k) && !k.startsWith('VITEST')) out[k] = v;
  return out;
}
const VITEST_VARS = new Set(['TEST', 'NODE_ENV', 'MODE', 'PROD', 'DEV', 'SSR', 'BASE_URL']);

/** `prefix`: a command that runs the CLI (e.g. `unshare -m …`), given `node BIN ARGS` as its arguments. */
export async function runCli(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string; prefix?: string[] } = {}): Promise<CliResult> {
  const [cmd, ...pre] = [...(opts.prefix ?? []), 'node'];
  const r = await execa(cmd!, [...pre, BIN, ...args], {
    extendEnv: false,
    env: { ...userEnv(), ...NIX_ENV, ...opts.env },
    input: opts.input,
    cwd: opts.cwd,
    reject: false,
    timeout: 300_000,
  });
  return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Everything a run printed, to assert that no secret leaked. */
export const printed = (r: CliResult) => `${r.stdout}\n${r.stderr}`;
