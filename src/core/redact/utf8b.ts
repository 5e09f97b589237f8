// UTF-8 with the bytes that are not UTF-8 kept ("utf8b", Python's surrogateescape): each such
// byte decodes to a lone low surrogate U+DC80-U+DCFF and encodes back to itself. Valid UTF-8
// never decodes to a lone surrogate, so the round trip gives the input's bytes exactly. For
// the rare block that the byte path's stand-in cannot represent (bytes.ts).
import { isUtf8 } from 'node:buffer';

/** The text of `bytes`; a byte that is not part of valid UTF-8 becomes U+DC00 + byte. */
export function decodeUtf8b(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const parts: string[] = [];
  let from = 0; // start of the valid stretch not yet decoded
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len > 0 && i + len <= n && isUtf8(bytes.subarray(i, i + len))) {
      i += len;
      continue;
    }
    if (i > from) parts.push(bytes.toString('utf8', from, i));
    parts.push(String.fromCharCode(0xdc00 + b));
    from = ++i;
  }
  if (n > from) parts.push(bytes.toString('utf8', from, n));
  return parts.join('');
}

/** A lone U+DC80-U+DCFF: a kept byte (a low surrogate after a high one is half of a real char). */
const KEPT = /(?<![\ud800-\udbff])[\udc80-\udcff]/g;

/** The bytes of `text`, kept bytes written back as themselves. */
export function encodeUtf8b(text: string): Buffer {
  KEPT.lastIndex = 0;
  if (!KEPT.test(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let from = 0;
  KEPT.lastIndex = 0;
  for (let m = KEPT.exec(text); m !== null; m = KEPT.exec(text)) {
    if (m.index > from) parts.push(Buffer.from(text.slice(from, m.index), 'utf8'));
    parts.push(Buffer.from([text.charCodeAt(m.index) - 0xdc00]));
    from = m.index + 1;
  }
  if (text.length > from) parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}
