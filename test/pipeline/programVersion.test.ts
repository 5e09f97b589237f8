// `openclaw --version` of a generation's program, which a rollout reads once per generation
// (its store path's content) instead of starting the CLI on every host and plan.
import { describe, expect, it } from 'vitest';
import type { Transport } from '../../src/core/transport/types.js';
import { programVersion } from '../../src/core/preflight/programVersion.js';
import { PlanMemo } from '../../src/core/pipeline/planMemo.js';
import { host } from '../ui/fixtures.js';

function hostAt(name: string, answer: () => { exitCode: number; stdout: string }) {
  const runs: string[][] = [];
  const t: Transport = {
    describe: name,
    storeUrl: name,
    run: async (argv) => {
      runs.push([...argv]);
      return { ...answer(), stderr: '', durationMs: 1, timedOut: false };
    },
    close: async () => undefined,
  };
  return { t, runs };
}
const gen = (storePath: string) => ({ number: 1, storePath });
const V = { exitCode: 0, stdout: 'OpenClaw 2026.6.10 (abc1234)\n' };

describe('programVersion', () => {
  it('without a rollout, asks the host every time', async () => {
    const a = hostAt('a', () => V);
    expect(await programVersion(host(), a.t, gen('/nix/store/g1'))).toBe('OpenClaw 2026.6.10 (abc1234)');
    expect(await programVersion(host(), a.t, gen('/nix/store/g1'))).toBe('OpenClaw 2026.6.10 (abc1234)');
    expect(a.runs).toEqual([
      [`${host().profile}/home-path/bin/openclaw`, '--version'],
      [`${host().profile}/home-path/bin/openclaw`, '--version'],
    ]);
  });

  it('in a rollout, once per generation for every host and plan; another generation is asked', async () => {
    const memo = new PlanMemo();
    const once = memo.once.bind(memo);
    const a = hostAt('a', () => V);
    const b = hostAt('b', () => V);
    const [va, vb] = await Promise.all([programVersion(host(), a.t, gen('/nix/store/g1'), once), programVersion(host(), b.t, gen('/nix/store/g1'), once)]);
    expect([va, vb, await programVersion(host(), b.t, gen('/nix/store/g1'), once)]).toEqual([V.stdout.trim(), V.stdout.trim(), V.stdout.trim()]);
    expect(a.runs.length + b.runs.length).toBe(1);
    await programVersion(host(), b.t, gen('/nix/store/g2'), once);
    expect(a.runs.length + b.runs.length).toBe(2);
  });

  it('a shared read that fails is not an answer: each host asks its own, and the next one asks again', async () => {
    const memo = new PlanMemo();
    const once = memo.once.bind(memo);
    const broken = hostAt('broken', () => ({ exitCode: 127, stdout: '' }));
    const fine = hostAt('fine', () => V);
    const [x, y] = await Promise.all([programVersion(host(), broken.t, gen('/nix/store/g1'), once), programVersion(host(), fine.t, gen('/nix/store/g1'), once)]);
    expect(x).toBeNull();
    expect(y).toBe(V.stdout.trim());
    expect(fine.runs).toHaveLength(1);
    expect(await programVersion(host(), fine.t, gen('/nix/store/g1'), once)).toBe(V.stdout.trim());
  });
});
