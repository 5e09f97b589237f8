// `clawdeploy redact [FILE]`: a filter from input to output (the lead wires the command).
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { createRedactor, type RedactorOptions } from './redactor.js';
import type { RedactStats } from './engine.js';

export type RedactFilterOptions = RedactorOptions;

/** Copies `input` to `output` with secrets replaced; resolves with what was redacted. */
export async function runRedactFilter(input: Readable, output: Writable, opts: RedactFilterOptions = {}): Promise<RedactStats> {
  const redactor = createRedactor(opts);
  await pipeline(input, redactor.transform(), output);
  return redactor.stats;
}
