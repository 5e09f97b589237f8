// Redacts a block of whole lines given as UTF-8 bytes, without decoding the block to UTF-16.
//
// Why: a log is mostly ASCII, but one "•" or "✓" every few KB makes V8 decode the whole block
// into a two-byte string (its slow UTF-8 path) and encode it back (slow again): together they
// cost more than the rules. Here the rules run on a one-byte string made from the bytes (a
// copy), and the output is cut from the input bytes.
//
// Lines with non-ASCII text are decoded properly and, for the rules, each non-ASCII UTF-16
// code unit is replaced by a distinct Latin-1 char in 0x80-0xFF (never 0xA0; NBSP stands for
// itself). The rules only tell ASCII apart (classes, \s, `.`, \b; case folding never maps a
// non-ASCII char to ASCII), so the stand-in line matches exactly where the real one does, at
// the same offsets; the redacted line is then rebuilt from the real text. A line the stand-in
// cannot represent (other Unicode spaces or line separators, which \s, trim() and `.` see;
// more than 127 distinct non-ASCII chars) sends the block down the decode/redact/encode path.
//
// Bytes that are not UTF-8 (a binary file, a log with a Latin-1 line) go out as they came: a
// line that is not valid UTF-8 is shown to the rules one char per byte and copied like ASCII,
// and the decode path keeps such bytes as lone surrogates (utf8b.ts). Decoding them to U+FFFD
// would corrupt the file (3 bytes for each 1) and is not redaction's business.
import { isAscii, isUtf8 } from 'node:buffer';
import { applyEdits, type Edit } from './edits.js';
import type { BlockRedactor } from './engine.js';
import { decodeUtf8b, encodeUtf8b } from './utf8b.js';

const NON_ASCII_UNIT = /[^\x00-\x7f]/g;
/** Non-ASCII chars that \s, trim() or `.` treat specially (NBSP is mapped to itself). */
const SPECIAL = /[\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const NBSP = '\u00a0';
/** isAscii (SIMD) over windows of this size finds the few non-ASCII lines quickly. */
const WINDOW = 4096;
const SUB_WINDOW = 64;

/** A non-ASCII line: its place in the stand-in text, in the bytes, and its real text. */
interface Wide {
  m0: number;
  m1: number;
  b0: number;
  b1: number;
  line: string;
}

/** The text the rules see, and where it differs from the bytes; null: use the slow path. */
interface View {
  text: string;
  wide: Wide[];
}

export class ByteBlockRedactor {
  /** Where stand-in texts are put together (reused: fresh memory costs page faults). */
  private scratch = Buffer.alloc(0);

  constructor(readonly engine: BlockRedactor) {}

  /** The redacted bytes of `input` (whole lines). Returns `input` itself when nothing changed. */
  redact(input: Buffer): Buffer {
    const { engine } = this;
    let bytes = input;
    let view = this.standIn(bytes);
    if (engine.known.size > 0 && engine.known.occursIn(view?.text ?? null, bytes)) {
      const latin = bytes.toString('latin1');
      const masked = engine.known.maskBytes(latin, engine.hit);
      if (masked !== latin) {
        bytes = Buffer.from(masked, 'latin1');
        view = this.standIn(bytes);
      }
    }
    if (view === null) {
      const text = decodeUtf8b(bytes);
      return encodeUtf8b(applyEdits(text, engine.edits(text)));
    }
    return assemble(bytes, view, engine.edits(view.text));
  }

  private standIn(bytes: Buffer): View | null {
    if (isAscii(bytes)) return { text: bytes.toString('ascii'), wide: [] };
    // The stand-in is never longer than the bytes.
    if (this.scratch.length < bytes.length) this.scratch = Buffer.allocUnsafeSlow(Math.max(bytes.length, 2 * this.scratch.length));
    return standIn(bytes, this.scratch);
  }
}

/** The one-byte text the rules run on (see the top of the file), put together in `m`. */
function standIn(bytes: Buffer, m: Buffer): View | null {
  const n = bytes.length;
  const wide: Wide[] = [];
  let mlen = 0;
  let copied = 0;
  let i = 0;
  // Plain views, not Buffer.subarray: many calls, and Buffer's JS wrappers are slow until warm.
  const ab = bytes.buffer;
  const off = bytes.byteOffset;
  const ascii = (from: number, to: number): boolean => isAscii(new Uint8Array(ab, off + from, to - from));
  while (i < n) {
    const w = Math.min(n, i + WINDOW);
    if (ascii(i, w)) {
      i = w;
      continue;
    }
    // Halve the window down to a few bytes, then look byte by byte.
    let j = i;
    let hi = w;
    while (hi - j > SUB_WINDOW) {
      const mid = (j + hi) >>> 1;
      if (ascii(j, mid)) j = mid;
      else hi = mid;
    }
    while (bytes[j]! < 0x80) j++;
    const b0 = bytes.lastIndexOf(0x0a, j) + 1;
    let b1 = bytes.indexOf(0x0a, j);
    if (b1 < 0) b1 = n;
    if (!isUtf8(new Uint8Array(ab, off + b0, b1 - b0))) {
      // Not UTF-8: one char per byte, copied through like ASCII (offsets stay the bytes').
      m.set(new Uint8Array(ab, off + copied, b1 - copied), mlen);
      // 0xA0 read as Latin-1 is NBSP, a space to the rules: a stray byte is not one.
      for (let k = mlen + b0 - copied; k < mlen + b1 - copied; k++) if (m[k] === 0xa0) m[k] = 0x80;
      mlen += b1 - copied;
      copied = b1;
      i = b1;
      continue;
    }
    const line = bytes.toString('utf8', b0, b1);
    const mapped = mapLine(line);
    if (mapped === null) return null;
    m.set(new Uint8Array(ab, off + copied, b0 - copied), mlen);
    mlen += b0 - copied;
    wide.push({ m0: mlen, m1: mlen + mapped.length, b0, b1, line });
    mlen += m.write(mapped, mlen, 'latin1');
    copied = b1;
    i = b1;
  }
  m.set(new Uint8Array(ab, off + copied, n - copied), mlen);
  mlen += n - copied;
  return { text: m.toString('latin1', 0, mlen), wide };
}

/**
 * The line with each non-ASCII code unit replaced by a distinct Latin-1 char, or null when
 * that cannot stand for it faithfully.
 */
function mapLine(line: string): string | null {
  if (SPECIAL.test(line)) return null;
  const seen = new Map<string, string>();
  let next = 0x80;
  let full = false;
  const out = line.replace(NON_ASCII_UNIT, (c) => {
    if (c === NBSP) return c;
    let r = seen.get(c);
    if (r === undefined) {
      if (next === 0xa0) next++;
      if (next > 0xff) {
        full = true;
        return c;
      }
      r = String.fromCharCode(next++);
      seen.set(c, r);
    }
    return r;
  });
  return full ? null : out;
}

/**
 * The output bytes: ASCII stretches copied from `bytes` with their edits, non-ASCII lines
 * rebuilt from their real text. `wide` and `edits` are sorted; an edit may run across a
 * line end (a rule's \s matches "\n"): its text goes where it starts. The result is alone
 * on its memory (a worker hands it over).
 */
function assemble(bytes: Buffer, view: View, edits: readonly Edit[]): Buffer {
  const { wide } = view;
  if (edits.length === 0 && wide.length === 0) return bytes;
  // Pieces: [from, to) of `bytes`, or a string (placeholder: Latin-1 = ASCII; line: UTF-8).
  const pieces: Array<number | string> = [];
  const isLine: boolean[] = [];
  let size = 0;
  let ei = 0;
  let m = 0; // position in the stand-in text
  let delta = 0; // bytes minus stand-in chars before `m`
  const copy = (from: number, to: number): void => {
    pieces.push(from, to);
    size += to - from;
  };
  const text = (s: string, line: boolean): void => {
    pieces.push(s);
    isLine[pieces.length - 1] = line;
    size += line ? Buffer.byteLength(s, 'utf8') : s.length;
  };

  /** The ASCII stretch [m, to) of the stand-in, with its edits. */
  const ascii = (to: number): void => {
    let cur = m;
    while (ei < edits.length && edits[ei]!.start < to) {
      const e = edits[ei]!;
      const s = Math.max(e.start, m);
      if (s > cur) copy(cur + delta, s + delta);
      if (e.start >= m) text(e.text, false);
      cur = Math.min(e.end, to);
      if (e.end > to) break;
      ei++;
    }
    if (cur < to) copy(cur + delta, to + delta);
    m = to;
  };

  for (const w of wide) {
    if (w.m0 > m) ascii(w.m0);
    let s = '';
    let cur = w.m0;
    while (ei < edits.length && edits[ei]!.start < w.m1) {
      const e = edits[ei]!;
      s += w.line.slice(cur - w.m0, Math.max(e.start, w.m0) - w.m0);
      if (e.start >= w.m0) s += e.text;
      cur = Math.min(e.end, w.m1);
      if (e.end > w.m1) break;
      ei++;
    }
    text(s + w.line.slice(cur - w.m0), true);
    m = w.m1;
    delta = w.b1 - w.m1;
  }
  if (view.text.length > m) ascii(view.text.length);

  const out = Buffer.allocUnsafeSlow(size);
  const ab = bytes.buffer;
  const off = bytes.byteOffset;
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (typeof p === 'number') {
      const len = (pieces[++i] as number) - p;
      out.set(new Uint8Array(ab, off + p, len), at);
      at += len;
    } else {
      at += out.write(p, at, isLine[i] ? 'utf8' : 'latin1');
    }
  }
  return out;
}
