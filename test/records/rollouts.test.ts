// Rollouts in the ledger: waves as planned, each host's outcome as it happens, and a rollout whose
// clawdeploy died is found interrupted (so `apply --resume ROLLOUT` can continue it).
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { join } from 'node:path';
import { openRecords } from '../../src/core/records/index.js';
import { firstLine, nodeChild, tempDir } from './helpers.js';

const input = {
  selector: '@edge',
  flakeDir: '/src/flake',
  flakeRev: 'c'.repeat(40),
  options: { parallel: 2, canary: 1, rollbackAll: false, skipUnreachable: true },
  waves: [['a'], ['b', 'c']],
  approver: null,
  outside: [
    { host: 'd', outcome: 'skipped-unreachable' as const, detail: "host 'd': unreachable" },
    { host: 'e', outcome: 'no-change' as const },
  ],
};

describe('rollouts in the records', () => {
  it('keeps the waves and every host, updated as they go; found by id prefix', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    try {
      const id = r.startRollout(input);
      r.setRolloutHost(id, 'a', { outcome: 'succeeded', before: { number: 1, storePath: '/nix/store/a-1' }, after: { number: 2, storePath: '/nix/store/a-2' } });
      r.setRolloutHost(id, 'b', { outcome: 'rolled-back', detail: 'telegram: not running' });
      r.finishRollout(id, 'stopped', 'wave 1 failed on b');
      const got = r.rollout(id.slice(0, 8))!;
      expect(got).toMatchObject({ id, selector: '@edge', outcome: 'stopped', detail: 'wave 1 failed on b', waves: [['a'], ['b', 'c']], options: input.options });
      expect(got.hosts.map((h) => [h.host, h.wave, h.outcome, h.after?.number ?? null])).toEqual([
        ['d', -1, 'skipped-unreachable', null],
        ['e', -1, 'no-change', null],
        ['a', 0, 'succeeded', 2],
        ['b', 1, 'rolled-back', null],
        ['c', 1, 'pending', null],
      ]);
      expect(r.rollouts().map((x) => x.id)).toEqual([id]);
      expect(() => r.setRolloutHost(id, 'zz', { outcome: 'failed' })).toThrow(/no host zz in rollout/);
    } finally {
      r.close();
    }
  });

  it('a rollout whose clawdeploy was killed reads as interrupted; resume takes it over', async () => {
    const file = join(tempDir(), 'records.db');
    const child = nodeChild(`const r = R.openRecords(process.env.DB); console.log(r.startRollout(${JSON.stringify(input)})); setInterval(() => {}, 1000);`, { DB: file });
    const id = await firstLine(child);
    const r = openRecords(file);
    try {
      expect(r.rollout(id)!.outcome).toBe('running');
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(r.rollout(id)!.outcome).toBe('interrupted');
      r.resumeRollout(id);
      expect(r.rollout(id)).toMatchObject({ outcome: 'running', pid: process.pid });
    } finally {
      r.close();
    }
  });
});
