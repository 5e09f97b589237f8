import { createReadStream, existsSync, statSync } from 'node:fs';
import { Writable } from 'node:stream';
import { ExitCode, UserError } from '../../core/errors.js';
import { runRedactFilter } from '../../core/redact/index.js';
import { registeredValues } from '../../core/redact/registered.js';

/** "ENOSPC: no space left on device" from a Node fs/stream error. */
function reason(e: NodeJS.ErrnoException): string {
  return e.code ? `${e.code}${e.message.includes(': ') ? `: ${e.message.split(': ')[1]!.split(',')[0]}` : ''}` : e.message;
}

/**
 * stdout that cannot take the output (`> /dev/full`, a closed file): one line and exit 1. The
 * CLI's own stdout handler rethrows such an error (a stack trace); this one runs first. A
 * reader that stopped early (EPIPE) stays the CLI's: not an error.
 */
function stdoutFailed(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') return;
  process.stderr.write(`clawdeploy: stdout: cannot write the redacted output (${reason(e)})\n`);
  process.exit(ExitCode.failed);
}

/**
 * stdout behind a stream of our own: a failed pipeline (an input that cannot be read) emits its
 * error on its last stream, and on process.stdout the CLI's handler would rethrow it.
 */
function toStdout(): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (process.stdout.write(chunk)) cb();
      else process.stdout.once('drain', () => cb());
    },
  });
}

export async function redactCommand(file?: string): Promise<void> {
  const named = file && file !== '-' ? file : undefined;
  if (named) {
    if (!existsSync(named)) throw new UserError(`${named}: no such file`);
    const st = statSync(named);
    if (st.isDirectory()) throw new UserError(`${named}: is a directory`);
    if (!st.isFile()) throw new UserError(`${named}: not a regular file`);
  }
  const knownValues = registeredValues(process.env);
  const input = named ? createReadStream(named) : process.stdin;
  process.stdout.prependListener('error', stdoutFailed);
  try {
    await runRedactFilter(input, toStdout(), { env: process.env, knownValues });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // stdout's own errors end the process in stdoutFailed (or the CLI's EPIPE handler); what
    // is left is the input's, or ours (an internal error: the CLI prints one line).
    if (err.code && err.syscall && err.code !== 'EPIPE') throw new UserError(`${named ?? 'stdin'}: cannot read it (${reason(err)})`);
    throw e;
  }
}
