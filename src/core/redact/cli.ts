// `clawdeploy redact [FILE]`: a filter from input to output (the lead wires the command).
import { fstatSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { knownValuesFor, type RedactorOptions } from './redactor.js';
import { newStats, type RedactStats } from './engine.js';
import { redactFilter, type ParallelOptions } from './parallel.js';

export interface RedactFilterOptions extends RedactorOptions {
  /**
   * Large inputs are redacted by worker threads, one block of lines each, written in order
   * (see parallel.ts); false keeps everything in this thread.
   */
  parallel?: ParallelOptions | false;
}

const READ_SIZE = 1 << 20;

/** Copies `input` to `output` with secrets replaced; resolves with what was redacted. */
export async function runRedactFilter(input: Readable, output: Writable, opts: RedactFilterOptions = {}): Promise<RedactStats> {
  const stats = newStats();
  const known = knownValuesFor(opts);
  const sizeHint = fileSize(input);
  // A file is read 64 KiB at a time by default, and each read costs a trip through libuv's
  // thread pool: 800 of them for 50 MB are a third of the time. Asking once for more raises
  // the stream's read size (Readable.read(n) grows highWaterMark), so files go 1 MiB at a time.
  if (sizeHint !== undefined && sizeHint > READ_SIZE && !input.readableObjectMode && !input.readableFlowing && input.readableHighWaterMark < READ_SIZE) {
    const early = input.read(READ_SIZE) as Buffer | string | null;
    if (early !== null) input.unshift(early);
  }
  await pipeline(input, (source: AsyncIterable<Buffer | string>) => redactFilter(source, { known, stats, maxLine: opts.maxLine, parallel: opts.parallel, sizeHint }), output);
  return stats;
}

/** The size of a regular file behind the stream (fs.createReadStream, stdin from a file), if any. */
function fileSize(input: Readable): number | undefined {
  const s = input as Readable & { fd?: unknown; path?: unknown };
  try {
    const st = typeof s.fd === 'number' ? fstatSync(s.fd) : typeof s.path === 'string' ? statSync(s.path) : null;
    return st?.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}
