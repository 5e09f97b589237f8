// Runs argv on this machine with execa and no shell; the child sees a scrubbed environment.
import { constants } from 'node:os';
import { execa } from 'execa';
import { UserError } from '../errors.js';
import { scrubEnv } from './env.js';
import type { RunOptions, RunResult, Transport } from './types.js';

/** Exit code reported when the timeout killed the command (as coreutils `timeout` does). */
export const TIMEOUT_EXIT_CODE = 124;
const PIPE_GRACE_MS = 200;

/**
 * Runs one local process. stdout/stderr are returned as is (no trailing-newline stripping) so bytes
 * round-trip. A command that cannot start (ENOENT) is exit 127, like a shell. On timeout the child
 * gets SIGTERM (SIGKILL 5 s later); its own children are not tracked.
 */
export async function runLocal(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new UserError('cannot run an empty command');
  const started = performance.now();
  const sub = execa(file, args, {
    shell: false,
    reject: false,
    stripFinalNewline: false,
    extendEnv: false,
    env: { ...scrubEnv(process.env), ...options.env },
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  // Our own timer rather than execa's: after the kill, a grandchild (or an ssh ControlMaster, which
  // holds the pipes of multiplexed sessions) can keep stdout open; stop waiting for it.
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          sub.kill('SIGTERM');
          setTimeout(() => {
            sub.stdout?.destroy();
            sub.stderr?.destroy();
          }, PIPE_GRACE_MS).unref();
        }, options.timeoutMs);
  const r = await sub;
  clearTimeout(timer);
  const durationMs = Math.round(performance.now() - started);
  const stdout = typeof r.stdout === 'string' ? r.stdout : '';
  let stderr = typeof r.stderr === 'string' ? r.stderr : '';
  let exitCode = r.exitCode;
  if (timedOut) exitCode = TIMEOUT_EXIT_CODE;
  else if (exitCode === undefined) {
    if (r.signal) exitCode = 128 + (constants.signals[r.signal] ?? 0);
    else {
      // Spawn failure: execa puts the reason in originalMessage (e.g. "spawn nix ENOENT").
      exitCode = (r as { code?: string }).code === 'ENOENT' ? 127 : 126;
      stderr += (stderr && !stderr.endsWith('\n') ? '\n' : '') + (r.originalMessage ?? r.shortMessage ?? 'failed to start');
    }
  }
  return { exitCode, stdout, stderr, durationMs, timedOut };
}

export function createLocalTransport(): Transport {
  return {
    describe: 'local',
    storeUrl: null,
    run: (argv, options) => runLocal(argv, options),
    close: async () => {},
  };
}
