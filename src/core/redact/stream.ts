// Cuts a stream at line boundaries so that no secret is split between two redactions.
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { BlockRedactor } from './engine.js';

/** A line longer than this is cut at the last space or comma (secrets hold neither). */
export const MAX_LINE = 1 << 20;

export class LineBuffer {
  private carry = '';

  constructor(
    private readonly block: BlockRedactor,
    private readonly maxLine = MAX_LINE,
  ) {}

  /** Takes a chunk; returns the redacted text of the whole lines it completes. */
  feed(chunk: string): string {
    const last = chunk.lastIndexOf('\n');
    if (last < 0) {
      this.carry += chunk;
      return this.carry.length > this.maxLine ? this.cutLong() : '';
    }
    // The carried partial line is finished by the chunk's first line: redact that one line
    // on its own, so the bulk of the chunk is never copied into a concatenation.
    let head = '';
    let from = 0;
    if (this.carry.length > 0) {
      from = chunk.indexOf('\n') + 1;
      head = this.block.redact(this.carry + chunk.slice(0, from));
    }
    this.carry = chunk.slice(last + 1);
    return from <= last ? head + this.block.redact(chunk.slice(from, last + 1)) : head;
  }

  /** The rest of the stream (a last line without a newline). */
  end(): string {
    const rest = this.carry;
    this.carry = '';
    return rest.length > 0 ? this.block.redact(rest) : '';
  }

  // Bounded memory for a giant line: redact up to a separator and keep the tail.
  private cutLong(): string {
    const t = this.carry;
    const from = t.length - 4096;
    let cut = Math.max(t.lastIndexOf(' '), t.lastIndexOf('\t'), t.lastIndexOf(','));
    if (cut < from - this.maxLine / 2) cut = from; // no separator: a hard cut, rare
    this.carry = t.slice(cut + 1);
    return this.block.redact(t.slice(0, cut + 1));
  }
}

/** A Node Transform (bytes or strings in, UTF-8 text out). */
export function redactTransform(lines: LineBuffer): Transform {
  const decoder = new StringDecoder('utf8');
  return new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback) {
      const out = lines.feed(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      cb(null, out.length > 0 ? out : undefined);
    },
    flush(cb: TransformCallback) {
      const out = lines.feed(decoder.end()) + lines.end();
      cb(null, out.length > 0 ? out : undefined);
    },
  });
}

/** The same over an async iterable of chunks. */
export async function* redactChunks(lines: LineBuffer, source: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) {
    const out = lines.feed(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    if (out.length > 0) yield out;
  }
  const out = lines.feed(decoder.end()) + lines.end();
  if (out.length > 0) yield out;
}
