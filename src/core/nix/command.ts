// Every nix invocation goes through here: argv only, flakes enabled per call (users need not
// edit nix.conf), and an error that names what failed in one line.
import { runProcess } from '../proc.js';
import { UserError } from '../errors.js';

export const NIX_FEATURES = ['--extra-experimental-features', 'nix-command flakes'] as const;

export interface NixResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface NixRunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** Runs `nix <args>` and returns the result; non-zero exits are returned, not thrown. */
export async function runNix(args: readonly string[], opts: NixRunOptions = {}): Promise<NixResult> {
  const r = await runProcess('nix', [...NIX_FEATURES, ...args], {
    env: { ...process.env, ...opts.env },
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    timeoutMs: opts.timeoutMs ?? 600_000,
  });
  if (r.startError) throw new UserError(`nix: cannot run (${r.startError}); is Nix installed?`);
  // Without its final newline, as a shell's $(...) would give it.
  return { stdout: r.stdout.replace(/\r?\n$/, ''), stderr: r.stderr.replace(/\r?\n$/, ''), exitCode: r.exitCode };
}

/** The first `error:` line of nix's stderr (what a person needs), without ANSI colours. */
export function nixErrorLine(stderr: string): string {
  const clean = stderr.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = clean
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const err = lines.find((l) => l.startsWith('error:'));
  const line = err ?? lines.at(-1) ?? 'unknown error';
  return line.replace(/^error:\s*/, '').slice(0, 300);
}

/** Runs nix and throws a UserError (exit 2) with `what` as context when it fails. */
export async function mustNix(what: string, args: readonly string[], opts: NixRunOptions = {}): Promise<string> {
  const r = await runNix(args, opts);
  if (r.exitCode !== 0) throw new UserError(`${what}: ${nixErrorLine(r.stderr)}`);
  return r.stdout;
}
