// A rollout's shared planning work: asked by many hosts at once, done once; a failure is not kept.
import { describe, expect, it } from 'vitest';
import { PlanMemo, onceWith } from '../../src/core/pipeline/planMemo.js';

describe('PlanMemo', () => {
  it('runs the work once for every caller of the same key, even while it is still running', async () => {
    const memo = new PlanMemo();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await Promise.resolve();
      return { built: '/nix/store/x' };
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => memo.once('build a', work)));
    expect(runs).toBe(1);
    expect(new Set(results).size).toBe(1);
    await memo.once('build b', work);
    expect(runs).toBe(2);
  });

  it('forgets a failure, so the next host tries again', async () => {
    const memo = new PlanMemo();
    let runs = 0;
    await expect(memo.once('k', async () => Promise.reject(new Error(`fail ${++runs}`)))).rejects.toThrow('fail 1');
    await expect(memo.once('k', async () => `ok ${++runs}`)).resolves.toBe('ok 2');
  });

  it('without a memo, the work is done every time', async () => {
    let runs = 0;
    const once = onceWith(undefined);
    await once('k', async () => ++runs);
    await once('k', async () => ++runs);
    expect(runs).toBe(2);
  });
});
