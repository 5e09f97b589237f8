// The public redactor: one per sink configuration, any number of streams.
import type { Transform } from 'node:stream';
import { BlockRedactor, newStats, type RedactStats } from './engine.js';
import { KnownValues } from './known.js';
import { ByteBlockRedactor } from './bytes.js';
import { LineBuffer, redactChunks, redactTransform } from './stream.js';

export interface RedactorOptions {
  /** Secrets to mask exactly; the label names the placeholder, e.g. `[REDACTED:TELEGRAM_BOT_TOKEN]`. */
  knownValues?: ReadonlyArray<{ value: string; label: string }>;
  /** An environment whose KEY/SECRET/TOKEN/PASS values are masked exactly (e.g. process.env). */
  env?: Record<string, string | undefined>;
  /** Longest line kept whole in a stream (bounded buffer). */
  maxLine?: number;
}

export interface Redactor {
  redact(text: string): string;
  addKnownValue(value: string, label: string): void;
  /** A Transform (UTF-8 bytes or strings in, UTF-8 bytes out) that redacts line by line; each call gives a fresh stream. */
  transform(): Transform;
  /** A fresh line-by-line redactor of one text stream: feed() gives back the redacted whole lines so far, end() the rest. */
  lines(): { feed(chunk: string): string; end(): string };
  /** The same as an async generator over chunks. */
  redactChunks(source: AsyncIterable<string | Uint8Array>): AsyncGenerator<string>;
  /** Counts over everything this redactor has processed. */
  readonly stats: RedactStats;
}

/** The exact values a redactor made with `opts` masks. */
export function knownValuesFor(opts: RedactorOptions): KnownValues {
  const known = new KnownValues();
  if (opts.env) known.addFromEnv(opts.env);
  for (const k of opts.knownValues ?? []) known.add(k.value, k.label);
  return known;
}

export function createRedactor(opts: RedactorOptions = {}): Redactor {
  const known = knownValuesFor(opts);
  const stats = newStats();
  const lines = (): LineBuffer => new LineBuffer(new BlockRedactor(known, stats), opts.maxLine);
  return {
    redact: (text) => new BlockRedactor(known, stats).redact(text),
    addKnownValue: (value, label) => known.add(value, label),
    lines,
    transform: () => redactTransform(new ByteBlockRedactor(new BlockRedactor(known, stats)), opts.maxLine),
    redactChunks: (source) => redactChunks(lines(), source),
    stats,
  };
}
