// Bounds stored output. The tail is kept: that is where a failing command says why.
export const OUTPUT_LIMIT_BYTES = 4096;

export function excerpt(text: string, limit = OUTPUT_LIMIT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  const marker = `[… ${bytes.length} bytes, first part cut …]\n`;
  let start = bytes.length - (limit - Buffer.byteLength(marker));
  // Do not start inside a multi-byte character (continuation bytes are 10xxxxxx).
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return marker + bytes.subarray(start).toString('utf8');
}
