import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecords, type DeploymentInput, type FinishInput, type Records } from '../../src/core/records/index.js';
import { GEN, deployment, tempDir } from './helpers.js';

const REV = (c: string) => c.repeat(40);
let minute = 0;
const at = () => new Date(Date.UTC(2026, 5, 1, 12, minute++));

function deploy(r: Records, over: Partial<DeploymentInput>, finish: FinishInput | null): string {
  const id = r.startDeployment(deployment({ startedAt: at(), ...over }));
  if (finish) r.finishDeployment(id, finish);
  return id;
}

describe('what the planner and the gates ask the ledger', () => {
  it('follows the base revision and the last known good generation across outcomes', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    expect(r.lastDeployedRev('staging-1')).toBeNull();
    expect(r.lastKnownGood('staging-1')).toBeNull();
    expect(r.lastSucceeded('staging-1')).toBeNull();

    const d1 = deploy(r, { flakeRev: REV('a'), generationBefore: GEN(1) }, { outcome: 'succeeded', generationAfter: GEN(2) });
    expect(r.lastDeployedRev('staging-1')).toBe(REV('a'));
    expect(r.lastKnownGood('staging-1')).toEqual(GEN(2));

    // A failed apply changes neither.
    deploy(r, { flakeRev: REV('b'), generationBefore: GEN(2) }, { outcome: 'failed', failedCheck: 'build' });
    expect(r.lastDeployedRev('staging-1')).toBe(REV('a'));
    expect(r.lastKnownGood('staging-1')).toEqual(GEN(2));

    // A dirty apply that succeeded is the base, but not evidence for promotion.
    const d3 = deploy(r, { flakeRev: REV('c'), dirty: true, generationBefore: GEN(2) }, { outcome: 'succeeded', generationAfter: GEN(3) });
    expect(r.lastDeployedRev('staging-1')).toBe(REV('c'));
    expect(r.lastKnownGood('staging-1')).toEqual(GEN(3));
    expect(r.succeededRevOn(REV('c'), 'staging')).toEqual([]);

    // Rolled back: the host went back to the generation it had before, here one switched to
    // outside clawdeploy (7), so it differs from the last success's (3).
    deploy(r, { flakeRev: REV('d'), generationBefore: GEN(7) }, { outcome: 'rolled-back', generationAfter: GEN(8), failedCheck: 'channel:telegram' });
    expect(r.lastDeployedRev('staging-1')).toBe(REV('c'));
    expect(r.lastKnownGood('staging-1')).toEqual(GEN(7));

    // A rollback operation moves the known good generation but not the base revision (that is an apply's).
    const d5 = deploy(r, { operation: 'rollback', flakeRev: null, flakeDir: null, planHash: null, generationBefore: GEN(7) }, { outcome: 'succeeded', generationAfter: GEN(2) });
    expect(r.lastKnownGood('staging-1')).toEqual(GEN(2));
    expect(r.lastDeployedRev('staging-1')).toBe(REV('c'));
    expect(r.lastSucceeded('staging-1')!.id).toBe(d5);
    expect(r.lastSucceeded('staging-1', 'apply')!.id).toBe(d3);

    // Running, interrupted, blocked and refused deploys count for nothing; other hosts neither.
    deploy(r, { flakeRev: REV('e') }, null);
    deploy(r, { flakeRev: REV('e') }, { outcome: 'blocked' });
    deploy(r, { flakeRev: REV('e') }, { outcome: 'refused' });
    r.markInterrupted(deploy(r, { flakeRev: REV('e') }, null));
    deploy(r, { host: 'staging-2', flakeRev: REV('f') }, { outcome: 'succeeded', generationAfter: GEN(9) });
    expect(r.lastDeployedRev('staging-1')).toBe(REV('c'));
    expect(r.lastKnownGood('staging-1')).toEqual(GEN(2));
    expect(r.lastDeployedRev('staging-2')).toBe(REV('f'));
    expect(r.history('staging-1')).toHaveLength(9);
    expect(r.history('staging-1').at(-1)!.id).toBe(d1);
    r.close();
  });

  it('finds the clean staging deploys that vouch for a revision', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const s1 = deploy(r, { host: 'staging-1', flakeRev: REV('a') }, { outcome: 'succeeded', generationAfter: GEN(2) });
    deploy(r, { host: 'prod-1', environment: 'production', flakeRev: REV('a') }, { outcome: 'succeeded', generationAfter: GEN(2) });
    deploy(r, { host: 'staging-3', flakeRev: REV('a') }, { outcome: 'failed' });
    deploy(r, { host: 'staging-3', flakeRev: REV('a') }, { outcome: 'rolled-back' });
    deploy(r, { host: 'staging-3', flakeRev: REV('a'), operation: 'drill' }, { outcome: 'succeeded' });
    deploy(r, { host: 'staging-4', flakeRev: REV('a') }, null);
    const s2 = deploy(r, { host: 'staging-2', flakeRev: REV('a') }, { outcome: 'succeeded', generationAfter: GEN(5) });
    deploy(r, { host: 'staging-2', flakeRev: REV('b') }, { outcome: 'succeeded', generationAfter: GEN(6) });

    expect(r.succeededRevOn(REV('a'), 'staging').map((d) => d.id)).toEqual([s2, s1]);
    expect(r.succeededRevOn(REV('a')).map((d) => d.host)).toEqual(['staging-2', 'staging-1']);
    expect(r.succeededRevOn(REV('a'), 'production').map((d) => d.host)).toEqual(['prod-1']);
    expect(r.succeededRevOn(REV('z'), 'staging')).toEqual([]);
    r.close();
  });

  it('remembers drills and which one last passed', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    expect(r.lastDrill('staging-1')).toBeNull();
    expect(r.lastPassedDrill('staging-1')).toBeNull();

    const passed = r.startDrill({ host: 'staging-1', fromGeneration: GEN(3), toGeneration: GEN(2), startedAt: '2026-06-01T10:00:00Z' });
    expect(r.lastDrill('staging-1')).toMatchObject({ id: passed, outcome: 'running', finishedAt: null, durationMs: null });
    r.finishDrill(passed, { outcome: 'passed', detail: 'back and forth, healthy', finishedAt: '2026-06-01T10:01:30Z' });
    expect(() => r.finishDrill(passed, { outcome: 'failed' })).toThrow(/already ended \(passed\)/);
    expect(() => r.finishDrill('nope', { outcome: 'failed' })).toThrow(/no drill nope/);

    const dep = r.startDeployment(deployment({ operation: 'drill' }));
    const failed = r.startDrill({ host: 'staging-1', deploymentId: dep, fromGeneration: GEN(3), startedAt: '2026-06-02T10:00:00Z' });
    r.finishDrill(failed, { outcome: 'failed', toGeneration: GEN(2), detail: 'gateway did not come back', finishedAt: '2026-06-02T10:00:10Z' });
    r.startDrill({ host: 'staging-2', fromGeneration: null, startedAt: '2026-06-03T10:00:00Z' });

    expect(r.lastDrill('staging-1')).toEqual({
      id: failed,
      host: 'staging-1',
      deploymentId: dep,
      startedAt: '2026-06-02T10:00:00.000Z',
      finishedAt: '2026-06-02T10:00:10.000Z',
      durationMs: 10_000,
      outcome: 'failed',
      fromGeneration: GEN(3),
      toGeneration: GEN(2),
      detail: 'gateway did not come back',
    });
    expect(r.lastPassedDrill('staging-1')).toEqual({
      id: passed,
      host: 'staging-1',
      deploymentId: null,
      startedAt: '2026-06-01T10:00:00.000Z',
      finishedAt: '2026-06-01T10:01:30.000Z',
      durationMs: 90_000,
      outcome: 'passed',
      fromGeneration: GEN(3),
      toGeneration: GEN(2),
      detail: 'back and forth, healthy',
    });
    expect(r.lastPassedDrill('staging-2')).toBeNull();
    r.close();
  });
});
