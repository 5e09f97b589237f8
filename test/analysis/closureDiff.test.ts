import { describe, expect, it } from 'vitest';
import { parseDiffClosures, summariseClosure, type ClosureEntry } from '../../src/core/analysis/closureDiff.js';
import { fixture } from './helpers.js';

// Captured from Nix 2.8.0 (`nix store diff-closures A B`) on the derivations in fixtures/diff-closures.nix.
const UPGRADE: ClosureEntry[] = [
  { name: 'foo', from: [], to: [], sizeDeltaKiB: 10 },
  { name: 'hello', from: ['1.0', '2.0'], to: ['2.1'], sizeDeltaKiB: null },
  { name: 'libfoo', from: [], to: ['1.0'], sizeDeltaKiB: null },
  { name: 'newbig', from: [], to: ['3.1'], sizeDeltaKiB: 40.3 },
  { name: 'openclaw', from: ['2026.6.10'], to: ['2026.6.11'], sizeDeltaKiB: 12 },
  { name: 'svc', from: ['1.0'], to: [], sizeDeltaKiB: -20.3 },
  { name: 'tiny', from: ['0.1'], to: ['0.2'], sizeDeltaKiB: null },
];

describe('parseDiffClosures', () => {
  it('parses captured output, colour codes and all', () => {
    expect(fixture('diff-closures-upgrade.txt')).toContain('\u001b[31;1m+12.0 KiB\u001b[0m');
    expect(parseDiffClosures(fixture('diff-closures-upgrade.txt'))).toEqual(UPGRADE);
  });

  it.each([
    ['on a terminal (carriage returns, erase-line codes)', 'diff-closures-tty.txt'],
    ['from `nix profile diff-closures` (indented under "Version 1 -> 2:")', 'profile-diff-closures.txt'],
  ])('parses the same entries %s', (_name, file) => {
    expect(parseDiffClosures(fixture(file))).toEqual(UPGRADE);
  });

  it('reads ε (a store name without a version) as an empty version', () => {
    expect(parseDiffClosures(fixture('diff-closures-epsilon.txt'))).toEqual([
      { name: 'bar', from: [], to: [], sizeDeltaKiB: 29 },
      { name: 'foo', from: [''], to: ['1.0'], sizeDeltaKiB: null },
      { name: 'hello', from: ['2.1'], to: [''], sizeDeltaKiB: null },
      { name: 'libfoo', from: ['1.0'], to: [], sizeDeltaKiB: null },
      { name: 'newbig', from: [], to: [], sizeDeltaKiB: -39 },
      { name: 'tiny', from: ['0.2'], to: [], sizeDeltaKiB: null },
    ]);
  });

  it.each([
    ['openclaw: 2026.6.10 → 2026.6.11, +12.3 KiB', { name: 'openclaw', from: ['2026.6.10'], to: ['2026.6.11'], sizeDeltaKiB: 12.3 }],
    ['libfoo: ∅ → 1.0', { name: 'libfoo', from: [], to: ['1.0'], sizeDeltaKiB: null }],
    ['svc: 1.0 → ∅, -8.1 KiB', { name: 'svc', from: ['1.0'], to: [], sizeDeltaKiB: -8.1 }],
    ['hello: 1.0, 2.0 → 2.1', { name: 'hello', from: ['1.0', '2.0'], to: ['2.1'], sizeDeltaKiB: null }],
    ['foo: +9.2 KiB', { name: 'foo', from: [], to: [], sizeDeltaKiB: 9.2 }],
    ['openclaw-runtime-plugin-discord: ∅ → 2026.6.11, +1534.0 KiB', { name: 'openclaw-runtime-plugin-discord', from: [], to: ['2026.6.11'], sizeDeltaKiB: 1534 }],
  ])('%s', (line, entry) => {
    expect(parseDiffClosures(`${line}\n`)).toEqual([entry]);
  });

  it.each([
    ['empty output (identical closures)', ''],
    ['only a newline', '\n'],
    ['a warning on the same stream', "warning: Git tree '/srv/flake' is dirty\n"],
    ['a profile header', 'Version 1 -> 2:\n'],
  ])('returns no entries for %s', (_name, text) => {
    expect(parseDiffClosures(text)).toEqual([]);
  });
});

describe('summariseClosure', () => {
  it('puts OpenClaw first, then added/removed, then updates, then size-only', () => {
    const [change, ...rest] = summariseClosure(UPGRADE);
    expect(rest).toEqual([]);
    expect(change?.kind).toBe('closure');
    expect(change?.summary).toBe('openclaw 2026.6.10 → 2026.6.11 (+12.0 KiB); 3 updated, 2 added, 1 removed, 1 changed in size only; size +42.0 KiB');
    expect(change?.detail?.counts).toEqual({ updated: 3, added: 2, removed: 1, sizeOnly: 1 });
    expect(change?.detail?.sizeDeltaKiB).toBe(42);
    expect((change?.detail?.entries as Array<{ text: string }>).map((e) => e.text)).toEqual([
      'openclaw 2026.6.10 → 2026.6.11 (+12.0 KiB)',
      'libfoo ∅ → 1.0',
      'newbig ∅ → 3.1 (+40.3 KiB)',
      'svc 1.0 → ∅ (-20.3 KiB)',
      'hello 1.0, 2.0 → 2.1',
      'tiny 0.1 → 0.2',
      'foo +10.0 KiB',
    ]);
    expect(change?.detail?.omitted).toBe(0);
  });

  it('shows ε for a version-less name', () => {
    const [change] = summariseClosure(parseDiffClosures(fixture('diff-closures-epsilon.txt')));
    expect((change?.detail?.entries as Array<{ text: string }>).map((e) => e.text)).toContain('foo ε → 1.0');
  });

  it('returns no change for identical closures', () => {
    expect(summariseClosure([])).toEqual([]);
  });

  it('lists at most 25 entries and counts the rest', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `lib${String(i).padStart(2, '0')}`, from: ['1'], to: ['2'], sizeDeltaKiB: null }));
    const [change] = summariseClosure(many);
    expect((change?.detail?.entries as unknown[]).length).toBe(25);
    expect(change?.detail?.omitted).toBe(5);
    expect(change?.summary).toBe('30 updated');
  });

  it('is deterministic: the order of the entries does not matter', () => {
    const a = JSON.stringify(summariseClosure(UPGRADE));
    expect(JSON.stringify(summariseClosure([...UPGRADE].reverse()))).toBe(a);
  });
});
