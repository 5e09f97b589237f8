// `history --rollouts`: each host of a recorded rollout with its generation before and after, its
// outcome and its last validation attempt's checks, read from a real records database.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openRecords } from '../../src/core/records/index.js';
import { rolloutReport, rolloutText } from '../../src/cli/commands/rolloutHistory.js';
import { deployment, GEN, tempDir } from '../records/helpers.js';

describe('history --rollouts', () => {
  it("reports every host's wave, generations, outcome and last attempt's checks; hosts outside the waves too", () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    try {
      const id = r.startRollout({
        selector: '@edge',
        flakeDir: '/src/flake',
        flakeRev: 'c'.repeat(40),
        options: { parallel: 2, canary: 1, rollbackAll: false, skipUnreachable: true },
        waves: [['a'], ['b']],
        approver: null,
        outside: [{ host: 'd', outcome: 'skipped-unreachable', detail: "host 'd': unreachable" }],
      });
      const da = r.startDeployment(deployment({ host: 'a' }));
      r.recordHealth(da, [{ name: 'gateway-rpc', ok: true, detail: 'ok', at: new Date(), attempt: 1 }]);
      r.finishDeployment(da, { outcome: 'succeeded', generationAfter: GEN(2) });
      const db = r.startDeployment(deployment({ host: 'b' }));
      // Two attempts: only the last one is the verdict.
      r.recordHealth(db, [
        { name: 'gateway-rpc', ok: false, detail: 'refused', at: new Date(), attempt: 1 },
        { name: 'channels', ok: false, detail: 'telegram: not running', at: new Date(), attempt: 1 },
      ]);
      r.recordHealth(db, [
        { name: 'gateway-rpc', ok: true, detail: 'ok', at: new Date(), attempt: 2 },
        { name: 'channels', ok: false, detail: 'telegram: not running', at: new Date(), attempt: 2 },
      ]);
      r.finishDeployment(db, { outcome: 'rolled-back', failedCheck: 'channels: telegram: not running' });
      r.setRolloutHost(id, 'a', { outcome: 'succeeded', deploymentId: da, before: GEN(1), after: GEN(2) });
      r.setRolloutHost(id, 'b', { outcome: 'rolled-back', deploymentId: db, before: GEN(1), after: GEN(1) });
      r.finishRollout(id, 'stopped', 'wave 1 failed on b');

      const [report] = r.rollouts().map((x) => rolloutReport(r, x));
      const by = Object.fromEntries(report!.hosts.map((h) => [h.host, h]));
      expect(by['a']).toMatchObject({ wave: 0, outcome: 'succeeded', before: { number: 1 }, after: { number: 2 }, checks: [{ name: 'gateway-rpc', ok: true }] });
      expect(by['b']).toMatchObject({ wave: 1, outcome: 'rolled-back', failedCheck: 'channels: telegram: not running' });
      expect(by['b']!.checks.map((c) => [c.name, c.ok])).toEqual([
        ['gateway-rpc', true],
        ['channels', false],
      ]);
      expect(by['d']).toMatchObject({ wave: -1, outcome: 'skipped-unreachable', deploymentId: null, checks: [] });

      const text = rolloutText(report!);
      expect(text).toMatch(new RegExp(`^rollout ${id.slice(0, 8)} @edge: stopped, started `));
      expect(text).toMatch(/^b\s+2\s+rolled-back\s+1 -> 1\s+1\/2 passed\s+channels: telegram: not running$/m);
      expect(text).toMatch(/^d\s+-\s+skipped-unreachable\s+- -> -\s+-\s+host 'd': unreachable$/m);
    } finally {
      r.close();
    }
  });
});
