import { describe, expect, it } from 'vitest';
import { measureRedactorQuality } from '../../bench/corpus/quality.js';

// The benchmark's corpus, small: every token format in realistic log lines, streamed in
// random chunk sizes. Asserts quality (recall, no false changes), not speed.
describe('redactor quality on the benchmark corpus', () => {
  it.each([7, 11, 23])('seed %i: recall >= 99%%, no public value or clean line changed', async (seed) => {
    const q = await measureRedactorQuality({ bytes: 150_000, seed });
    expect(q.secrets).toBeGreaterThan(50);
    expect(Object.keys(q.byFormat).length).toBe(13);
    expect(q.recall, q.examples.missed.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(q.publicsChanged).toBe(0);
    expect(q.cleanLinesChanged, q.examples.changed.join('\n')).toBe(0);
  });
});
