// Runs argv on this machine with no shell; the child sees a scrubbed environment.
import net from 'node:net';
import { UserError } from '../errors.js';
import { runProcess } from '../proc.js';
import { scrubEnv } from './env.js';
import type { RunOptions, RunResult, Transport } from './types.js';

export { TIMEOUT_EXIT_CODE } from '../proc.js';

/**
 * Runs one local process. stdout/stderr are returned as is (no trailing-newline stripping) so bytes
 * round-trip. A command that cannot start (ENOENT) is exit 127, like a shell. On timeout the child
 * gets SIGTERM (SIGKILL 5 s later); its own children are not tracked.
 */
export async function runLocal(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new UserError('cannot run an empty command');
  const started = performance.now();
  const r = await runProcess(file, args, {
    env: { ...scrubEnv(process.env), ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
  });
  return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, durationMs: Math.round(performance.now() - started), timedOut: r.timedOut };
}

export function createLocalTransport(): Transport {
  return {
    describe: 'local',
    storeUrl: null,
    run: (argv, options) => runLocal(argv, options),
    connect: (port) => net.connect({ host: '127.0.0.1', port }),
    close: async () => {},
  };
}
