// How hosts are cut into waves: table-driven.
import { describe, expect, it } from 'vitest';
import { canaryCount, planWaves, waveTitle, wavesOf } from '../../src/core/fleet/waves.js';

const hosts = (names: string, canary: string[] = []) => names.split(' ').map((name) => ({ name, tags: canary.includes(name) ? ['canary'] : [] }));

describe('planWaves', () => {
  it.each([
    ['one host: no canary, one wave', hosts('a'), { parallel: 10 }, [['a']]],
    ['default canary: the first host', hosts('a b c d'), { parallel: 2 }, [['a'], ['b', 'c'], ['d']]],
    [
      'hosts tagged canary go first, in inventory order',
      hosts('a b c d', ['c', 'b']),
      { parallel: 10 },
      [
        ['b', 'c'],
        ['a', 'd'],
      ],
    ],
    ['--canary N wins over tags', hosts('a b c d', ['d']), { parallel: 1, canary: 2 }, [['a', 'b'], ['c'], ['d']]],
    ['--canary 0: no canary wave', hosts('a b c'), { parallel: 2, canary: 0 }, [['a', 'b'], ['c']]],
    ['--canary larger than the fleet', hosts('a b'), { parallel: 5, canary: 9 }, [['a', 'b']]],
  ])('%s', (_what, hs, o, expected) => {
    expect(planWaves(hs, o).map((w) => w.hosts)).toEqual(expected);
  });

  it('labels and indexes the waves; the canary wave names its hosts', () => {
    expect(planWaves(hosts('a b c'), { parallel: 5 }).map((w) => [w.index, w.label])).toEqual([
      [0, 'canary (a)'],
      [1, 'wave 2'],
    ]);
    // Counted from 1 with the canary as wave 1, so a label and "N of M" agree.
    const [canary, second] = planWaves(hosts('a b c'), { parallel: 5 });
    expect([waveTitle(canary!, 2), waveTitle(second!, 2)]).toEqual(['canary (a), wave 1 of 2', 'wave 2 of 2']);
    // A resumed rollout keeps the count it was reviewed with.
    expect(waveTitle(wavesOf([['a'], ['b'], ['c']], true)[2]!, 3)).toBe('wave 3 of 3');
  });

  it('says which wave is the canary, and how many hosts it holds', () => {
    const waves = planWaves(hosts('a b c d', ['b', 'c']), { parallel: 5 });
    expect(waves.map((w) => w.canary)).toEqual([true, false]);
    expect(canaryCount(waves)).toBe(2);
    // No canary wave: none is marked, whatever a label says.
    const none = planWaves(hosts('a b c'), { parallel: 2, canary: 0 });
    expect(none.map((w) => w.canary)).toEqual([false, false]);
    expect(canaryCount(none)).toBe(0);
    expect(canaryCount(planWaves(hosts('a'), { parallel: 10 }))).toBe(0);
  });

  it('rebuilds recorded waves (a runbook, a resumed rollout) as planWaves cuts them', () => {
    const planned = planWaves(hosts('a b c d'), { parallel: 2 });
    expect(
      wavesOf(
        planned.map((w) => w.hosts),
        true,
      ),
    ).toEqual(planned);
    expect(wavesOf([['a', 'b'], ['c']], false)).toEqual([
      { index: 0, label: 'wave 1', hosts: ['a', 'b'], canary: false },
      { index: 1, label: 'wave 2', hosts: ['c'], canary: false },
    ]);
  });

  it('refuses a parallelism that is not a positive integer', () => {
    expect(() => planWaves(hosts('a b'), { parallel: 0 })).toThrow(/positive integer/);
  });
});
