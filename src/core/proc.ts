// Runs one local process from argv (never a shell) and collects its output. Written on
// node:child_process rather than execa, which we used before: a rollback starts some twenty
// processes, and execa cost ~1.5 ms more CPU per process plus ~15 ms to load, on the path an
// incident waits for (bench/rollback.ts). What we need of it is small and tested here.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

export interface ProcOptions {
  /** The whole environment of the child (not merged with ours). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Text written to the child's stdin (else stdin is /dev/null). */
  input?: string;
  /** Milliseconds; then SIGTERM, and SIGKILL KILL_AFTER_MS later. */
  timeoutMs?: number;
  /** Each chunk of output as it arrives (already part of the result too). */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface ProcResult {
  /** The exit code; 128+n for signal n; 127 when the command does not exist, 126 when it cannot start. */
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not start ("spawn nix ENOENT"), when it could not. */
  startError?: string;
}

/** Exit code reported when the timeout killed the command (as coreutils `timeout` does). */
export const TIMEOUT_EXIT_CODE = 124;
const KILL_AFTER_MS = 5000;
/** After a kill, a grandchild (or an ssh ControlMaster) may hold the pipes open: stop waiting. */
const PIPE_GRACE_MS = 200;

export function runProcess(file: string, args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let startError: NodeJS.ErrnoException | undefined;
    let settled = false;
    const child = spawn(file, args, {
      shell: false,
      env: opts.env ?? process.env,
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c: Buffer) => {
      out.push(c);
      opts.onOutput?.('stdout', c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      err.push(c);
      opts.onOutput?.('stderr', c);
    });
    if (opts.input !== undefined) {
      // A child that exits without reading its stdin is not an error of ours.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input);
    }
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGTERM');
            // Both outlive the result: a child that ignores SIGTERM is still killed.
            setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), KILL_AFTER_MS).unref();
            setTimeout(() => {
              child.stdout!.destroy();
              child.stderr!.destroy();
              finish(null, 'SIGTERM');
            }, PIPE_GRACE_MS).unref();
          }, opts.timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      let stderr = Buffer.concat(err).toString('utf8');
      let exitCode: number;
      if (timedOut) exitCode = TIMEOUT_EXIT_CODE;
      else if (startError) {
        exitCode = startError.code === 'ENOENT' ? 127 : 126;
        stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}${startError.message}`;
      } else if (code !== null) exitCode = code;
      else exitCode = 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr, timedOut, ...(startError ? { startError: startError.message } : {}) });
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      // A process that could not start emits 'error' and then 'close'; one that started and
      // could not be killed emits only 'error': keep the first cause.
      startError ??= child.pid === undefined ? e : undefined;
      if (child.pid === undefined) finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}
