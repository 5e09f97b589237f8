// Cuts a stream at line boundaries so that no secret is split between two redactions.
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { BlockRedactor } from './engine.js';
import type { ByteBlockRedactor } from './bytes.js';
import type { KnownValues } from './known.js';
import { CUT_WINDOW, endsRun, forcedCut, runEnd, safeCut } from './longLine.js';

/** A line longer than this is cut where no secret spans the cut (longLine.ts). */
export const MAX_LINE = 1 << 20;
/**
 * A line is held up to this many times maxLine while no safe cut is found (one secret longer
 * than the cut range); past it, memory wins and the line is cut anyway. Not more: one regex
 * match over a run of about 5 million chars overflows V8's regexp stack.
 */
const HOLD_FACTOR = 2;

/** The range a long held text of length `n` is cut in: at least half of maxLine goes out, a window stays. */
function cutRange(n: number, maxLine: number): { lo: number; hi: number } {
  const tail = Math.min(CUT_WINDOW, maxLine >> 2);
  return { lo: Math.max(1, n - tail - (maxLine >> 1)), hi: n - tail };
}

export class LineBuffer {
  private carry = '';
  /** After a failed cut: hold until the carry is this long before trying again. */
  private holdUntil = 0;
  /** After a forced cut inside a secret: its run goes on in the next chunk; drop it. */
  private swallow = false;

  constructor(
    private readonly block: BlockRedactor,
    private readonly maxLine = MAX_LINE,
  ) {}

  /** Takes a chunk; returns the redacted text of the whole lines it completes. */
  feed(input: string): string {
    let chunk = input;
    if (this.swallow) {
      const e = runEnd(chunk, 0);
      this.swallow = e === chunk.length;
      chunk = chunk.slice(e);
    }
    const last = chunk.lastIndexOf('\n');
    if (last < 0) {
      this.carry += chunk;
      return this.carry.length > Math.max(this.maxLine, this.holdUntil) ? this.cutLong() : '';
    }
    this.holdUntil = 0;
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
    this.swallow = false;
    return rest.length > 0 ? this.block.redact(rest) : '';
  }

  // Bounded memory for a giant line: redact up to a safe cut and keep the rest.
  private cutLong(): string {
    const t = this.carry;
    const { lo, hi } = cutRange(t.length, this.maxLine);
    const cut = safeCut(t, lo, hi, { known: this.block.known });
    if (cut < 0 && t.length <= HOLD_FACTOR * this.maxLine) {
      this.holdUntil = t.length + (this.maxLine >> 1);
      return '';
    }
    this.holdUntil = 0;
    if (cut >= 0) {
      this.carry = t.slice(cut);
      return this.block.redact(t.slice(0, cut));
    }
    const forced = forcedCut(t, (t.charCodeAt(hi - 1) & 0xfc00) === 0xd800 ? hi - 1 : hi);
    const rest = forced.swallow ? runEnd(t, forced.cut) : forced.cut;
    this.swallow = forced.swallow && rest === t.length;
    this.carry = t.slice(rest);
    return this.block.redact(t.slice(0, forced.cut));
  }
}

const NL = 0x0a;

/**
 * Cuts UTF-8 bytes into blocks of whole lines (the same rules as LineBuffer, in bytes). Both
 * the in-thread filter and the worker pool's dispatcher cut with it.
 */
export class ByteCutter {
  private parts: Buffer[] = [];
  private length = 0;
  /** After a failed long cut: hold until this many bytes are held before trying again. */
  private holdUntil = 0;
  /** Held bytes from the start known to hold no newline (a held long line is not searched again). */
  private noNewline = 0;
  /** After a forced cut inside a secret: bytes of its run still to drop (LineBuffer.swallow). */
  private swallow = false;

  constructor(
    private readonly maxLine = MAX_LINE,
    /** Registered values, which a long line's cut must not split. */
    private readonly known?: KnownValues,
  ) {}

  /** Bytes held back (an unfinished line, or whole lines not yet taken). */
  get pending(): number {
    return this.length;
  }

  push(input: Buffer): void {
    let chunk = input;
    if (this.swallow) {
      let e = 0;
      while (e < chunk.length && !endsRun(chunk[e]!)) e++;
      this.swallow = e === chunk.length;
      chunk = chunk.subarray(e);
    }
    if (chunk.length === 0) return;
    this.parts.push(chunk);
    this.length += chunk.length;
  }

  /**
   * The whole lines held, as one block, once at least `min` bytes are held; else null. A
   * giant line (no newline within maxLine) is cut at a separator instead, so memory stays bounded.
   */
  take(min = 1, owned = false): Buffer | null {
    if (this.length < min || this.length === 0) return null;
    let end = -1;
    let held = this.length;
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const p = this.parts[i]!;
      held -= p.length;
      if (held + p.length <= this.noNewline) break;
      const nl = p.lastIndexOf(NL);
      if (nl >= 0) {
        end = held + nl + 1;
        break;
      }
    }
    if (end < 0) {
      this.noNewline = this.length;
      if (this.length <= Math.max(this.maxLine, this.holdUntil)) return null;
      end = this.longCut();
      if (end < 0) return null;
    }
    this.holdUntil = 0;
    return this.split(end, owned);
  }

  /**
   * About `size` bytes of whole lines (cut at the last newline before `size`, or the first
   * after it), once more than `size` bytes are held; else null. Owned (see split).
   */
  takeBlock(size: number): Buffer | null {
    if (this.length <= size) return null;
    let end = -1;
    // The last newline before `size`.
    let at = 0;
    let i = 0;
    while (i < this.parts.length && at + this.parts[i]!.length < size) at += this.parts[i++]!.length;
    for (let k = i; k >= 0 && end < 0; k--) {
      const p = this.parts[k]!;
      const from = k === i ? size - 1 - at : p.length - 1;
      const nl = from >= 0 ? p.lastIndexOf(NL, from) : -1;
      if (nl >= 0) end = at + nl + 1;
      if (k > 0) at -= this.parts[k - 1]!.length;
    }
    // Else the first newline after it (a long line).
    if (end < 0) {
      at = 0;
      for (const p of this.parts) {
        const nl = at + p.length > size ? p.indexOf(NL, Math.max(0, size - at)) : -1;
        if (nl >= 0) {
          end = at + nl + 1;
          break;
        }
        at += p.length;
      }
    }
    return end < 0 ? this.take(this.maxLine + 1, true) : this.split(end, true);
  }

  /** Everything held (the end of the stream). */
  rest(owned = false): Buffer | null {
    return this.length === 0 ? null : this.split(this.length, owned);
  }

  // The first `end` bytes as one buffer, `owned`: alone on its memory (a worker can take
  // it over); the rest stays as it is.
  private split(end: number, owned: boolean): Buffer {
    const first = this.parts[0]!;
    let block: Buffer;
    if (first.length >= end && (!owned || (first.byteOffset === 0 && first.buffer.byteLength === end))) {
      block = first.length === end ? first : first.subarray(0, end);
      if (first.length === end) this.parts.shift();
      else this.parts[0] = first.subarray(end);
    } else {
      block = Buffer.allocUnsafeSlow(end);
      let at = 0;
      while (at < end) {
        const p = this.parts[0]!;
        const n = Math.min(p.length, end - at);
        p.copy(block, at, 0, n);
        at += n;
        if (n === p.length) this.parts.shift();
        else this.parts[0] = p.subarray(n);
      }
    }
    this.length -= end;
    this.noNewline = Math.max(0, this.noNewline - end);
    return block;
  }

  // A safe cut of the held line (LineBuffer.cutLong on bytes), or -1: hold more. The rules see
  // the bytes one char each; 0xA0 that is not NBSP's second byte is no space to them.
  private longCut(): number {
    const t = Buffer.concat(this.parts, this.length);
    this.parts = [t];
    const { lo, hi } = cutRange(t.length, this.maxLine);
    const view = t.toString('latin1').replace(/(?<!\xc2)\xa0/g, '\x80');
    const cut = safeCut(view, lo, hi, { known: this.known, bytes: true });
    if (cut >= 0) return cut;
    if (t.length <= HOLD_FACTOR * this.maxLine) {
      this.holdUntil = t.length + (this.maxLine >> 1);
      return -1;
    }
    let hard = hi;
    while (hard > 0 && (t[hard]! & 0xc0) === 0x80) hard--;
    const forced = forcedCut(view, hard);
    if (forced.swallow) {
      // The run's rest after the cut is the same secret: it never goes out.
      const e = runEnd(view, forced.cut);
      this.swallow = e === t.length;
      this.parts = [t.subarray(0, forced.cut), t.subarray(e)].filter((p) => p.length > 0);
      this.length = forced.cut + t.length - e;
      this.noNewline = Math.min(this.noNewline, this.length);
    }
    return forced.cut;
  }
}

function toBuffer(chunk: Buffer | string | Uint8Array): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** A Node Transform on bytes (or strings), UTF-8 in and out, redacted one chunk's whole lines at a time. */
export function redactTransform(block: ByteBlockRedactor, maxLine = MAX_LINE): Transform {
  const cutter = new ByteCutter(maxLine, block.engine.known);
  return new Transform({
    decodeStrings: false,
    transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback) {
      cutter.push(toBuffer(chunk));
      const whole = cutter.take();
      cb(null, whole ? block.redact(whole) : undefined);
    },
    flush(cb: TransformCallback) {
      const rest = cutter.rest();
      cb(null, rest ? block.redact(rest) : undefined);
    },
  });
}

/** The same over an async iterable of chunks, as strings. */
export async function* redactChunks(lines: LineBuffer, source: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of source) {
    const out = lines.feed(typeof chunk === 'string' ? chunk : decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    if (out.length > 0) yield out;
  }
  const out = lines.feed(decoder.end()) + lines.end();
  if (out.length > 0) yield out;
}

export { toBuffer };
