// Assembles a deploy log of a given size with secrets and public values at known lines.
import { Rng } from './rng.js';
import { noise } from './noise.js';
import { SECRET_GENERATORS } from './secrets.js';
import { PUBLIC_KINDS, publicLine } from './public.js';

export interface Corpus {
  text: string;
  lines: string[];
  /** Planted secrets: the format and the (line, value) parts that must disappear. */
  secrets: Array<{ format: string; values: Array<{ line: number; value: string; offset: number }> }>;
  /** Planted public values that must survive unchanged. */
  publics: Array<{ kind: string; line: number; value: string; offset: number }>;
}

export interface CorpusOptions {
  bytes: number;
  seed?: number;
  /** About one planted secret per this many lines. */
  secretEvery?: number;
  publicEvery?: number;
}

export function generateCorpus(opts: CorpusOptions): Corpus {
  const r = new Rng(opts.seed ?? 42);
  const secretEvery = opts.secretEvery ?? 150;
  const publicEvery = opts.publicEvery ?? 40;
  const lines: string[] = [];
  const secrets: Corpus['secrets'] = [];
  const publics: Corpus['publics'] = [];
  let bytes = 0;
  let offset = 0;
  let g = 0;
  const push = (l: string): void => {
    lines.push(l);
    offset += l.length + 1;
    bytes += l.length + 1;
  };
  while (bytes < opts.bytes) {
    const x = r.next();
    if (x < 1 / secretEvery) {
      // Round-robin so every format appears, whatever the size.
      const [, gen] = SECRET_GENERATORS[g++ % SECRET_GENERATORS.length]!;
      const p = gen(r);
      const base = lines.length;
      const starts: number[] = [];
      for (const l of p.lines) {
        starts.push(offset);
        push(l);
      }
      secrets.push({
        format: p.format,
        values: p.values.map((v) => ({ line: base + v.line, value: v.value, offset: starts[v.line]! + p.lines[v.line]!.indexOf(v.value) })),
      });
    } else if (x < 1 / secretEvery + 1 / publicEvery) {
      const kind = PUBLIC_KINDS[Math.floor(r.next() * PUBLIC_KINDS.length)]!;
      const p = publicLine(r, kind);
      publics.push({ kind, line: lines.length, value: p.value, offset: offset + p.line.indexOf(p.value) });
      push(p.line);
    } else {
      for (const l of noise(r)) push(l);
    }
  }
  return { text: lines.join('\n') + '\n', lines, secrets, publics };
}
