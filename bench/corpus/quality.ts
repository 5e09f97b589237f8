// Scores a redaction of a corpus: recall per format, and public values / clean lines changed.
import type { Corpus } from './log.js';
import { generateCorpus } from './log.js';
import { Rng } from './rng.js';
import { createRedactor } from '../../src/core/redact/index.js';

export interface Quality {
  secrets: number;
  detected: number;
  recall: number;
  byFormat: Record<string, { total: number; detected: number }>;
  publics: number;
  publicsChanged: number;
  /** Lines without a planted secret that came out different (any false change counts). */
  cleanLinesChanged: number;
  examples: { missed: string[]; changed: string[] };
}

function tally(corpus: Corpus, found: (s: Corpus['secrets'][number]) => boolean, publicKept: (p: Corpus['publics'][number]) => boolean, cleanChanged: number[]): Quality {
  const byFormat: Quality['byFormat'] = {};
  const missed: string[] = [];
  let detected = 0;
  for (const s of corpus.secrets) {
    const f = (byFormat[s.format] ??= { total: 0, detected: 0 });
    f.total++;
    if (found(s)) {
      f.detected++;
      detected++;
    } else if (missed.length < 10) missed.push(`${s.format}: ${corpus.lines[s.values[0]!.line]}`);
  }
  const publicsChanged = corpus.publics.filter((p) => !publicKept(p)).length;
  return {
    secrets: corpus.secrets.length,
    detected,
    recall: corpus.secrets.length ? detected / corpus.secrets.length : 1,
    byFormat,
    publics: corpus.publics.length,
    publicsChanged,
    cleanLinesChanged: cleanChanged.length,
    examples: { missed, changed: cleanChanged.slice(0, 10).map((i) => corpus.lines[i]!) },
  };
}

/** Scores redacted output text (same line structure as the input). */
export function scoreOutput(corpus: Corpus, output: string): Quality {
  const out = output.split('\n');
  const secretLines = new Set(corpus.secrets.flatMap((s) => s.values.map((v) => v.line)));
  const changed: number[] = [];
  corpus.lines.forEach((l, i) => {
    if (!secretLines.has(i) && out[i] !== l) changed.push(i);
  });
  return tally(
    corpus,
    (s) => s.values.every((v) => !(out[v.line] ?? '').includes(v.value)),
    (p) => (out[p.line] ?? '').includes(p.value),
    changed,
  );
}

/** Scores a scanner's reported ranges (absolute offsets): a secret counts as found if a range covers any of it. */
export function scoreRanges(corpus: Corpus, ranges: Array<readonly [number, number]>, upTo = corpus.text.length): Quality {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const hits = (start: number, end: number): boolean => {
    // Binary search for the first range that ends after `start`.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]![1] <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]![0] < end; i++) if (sorted[i]![1] > start) return true;
    return false;
  };
  const sub: Corpus = {
    ...corpus,
    secrets: corpus.secrets.filter((s) => s.values.every((v) => v.offset + v.value.length <= upTo)),
    publics: corpus.publics.filter((p) => p.offset + p.value.length <= upTo),
  };
  return tally(
    sub,
    (s) => s.values.some((v) => hits(v.offset, v.offset + v.value.length)),
    (p) => !hits(p.offset, p.offset + p.value.length),
    [],
  );
}

/** Splits text into chunks of random sizes (1 byte to `max`), so secrets straddle chunk edges. */
export function* randomChunks(text: string, seed: number, max: number): Generator<string> {
  const r = new Rng(seed);
  for (let i = 0; i < text.length;) {
    const n = r.int(1, max);
    yield text.slice(i, i + n);
    i += n;
  }
}

/** The test suite's entry point: a small corpus through the streaming redactor. */
export async function measureRedactorQuality(opts: { bytes?: number; seed?: number; maxChunk?: number } = {}): Promise<Quality> {
  const corpus = generateCorpus({ bytes: opts.bytes ?? 200_000, seed: opts.seed ?? 7, secretEvery: 20 });
  const redactor = createRedactor();
  let out = '';
  for await (const piece of redactor.redactChunks(toAsync(randomChunks(corpus.text, opts.seed ?? 7, opts.maxChunk ?? 300)))) out += piece;
  return scoreOutput(corpus, out);
}

async function* toAsync<T>(it: Iterable<T>): AsyncGenerator<T> {
  yield* it;
}
