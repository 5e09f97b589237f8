import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthRecordsFromCheck, openRecords, stepRecordFromOutcome } from '../../src/core/records/index.js';
import { GEN, deployment, tempDir } from './helpers.js';

describe('a deploy lifecycle, read back', () => {
  it('keeps everything a deploy writes and returns it with get and history', () => {
    const file = join(tempDir(), 'records.db');
    const r = openRecords(file);
    const t0 = new Date('2026-06-11T10:00:00.000Z');
    const id = r.startDeployment(deployment({ startedAt: t0, dirty: true, flakeRev: 'b'.repeat(40) }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    r.recordApproval(id, { approver: 'alice', how: 'interactive', what: 'apply plan eeee', at: t0 });
    r.recordApproval(id, { stepId: 'activate', approver: 'alice', how: 'interactive', what: 'step activate', approved: false });
    r.recordStep(id, {
      stepId: 'set-profile',
      action: 'set-profile',
      phase: 'apply',
      status: 'ok',
      exitCode: 0,
      durationMs: 1200,
      startedAt: new Date(t0.getTime() + 1000),
      finishedAt: new Date(t0.getTime() + 2200),
      output: 'switched',
    });
    r.recordStep(
      id,
      stepRecordFromOutcome(
        { stepId: 'gateway-status', action: 'gateway-status', status: 'failed', exitCode: 3, durationMs: 500, stdout: 'rpc: down', stderr: 'timeout', reason: 'no answer' },
        'validate',
        new Date(t0.getTime() + 3000),
      ),
    );
    r.recordHealth(id, [
      ...healthRecordsFromCheck(
        'gateway-status',
        { ok: false, summary: 'gateway does not answer RPC', items: [{ name: 'channel:telegram', ok: false, detail: 'probe failed' }] },
        2,
        new Date(t0.getTime() + 4000),
      ),
    ]);
    r.finishDeployment(id, { outcome: 'failed', failedCheck: 'gateway-status: gateway does not answer RPC', finishedAt: new Date(t0.getTime() + 5000) });
    r.close();

    // A new connection, as the next clawdeploy run would open.
    const again = openRecords(file);
    const got = again.get(id)!;
    expect(got).toMatchObject({
      id,
      host: 'staging-1',
      environment: 'staging',
      target: 'ssh://root@10.0.0.2',
      kind: 'home-manager',
      operation: 'apply',
      flakeDir: '/src/flake',
      flakeRev: 'b'.repeat(40),
      dirty: true,
      lockHash: 'f'.repeat(64),
      planHash: 'e'.repeat(64),
      generationBefore: GEN(1),
      generationAfter: null,
      approver: 'alice',
      startedAt: '2026-06-11T10:00:00.000Z',
      finishedAt: '2026-06-11T10:00:05.000Z',
      outcome: 'failed',
      failedCheck: 'gateway-status: gateway does not answer RPC',
      pid: process.pid,
    });
    expect(got.steps).toEqual([
      {
        stepId: 'set-profile',
        action: 'set-profile',
        phase: 'apply',
        status: 'ok',
        exitCode: 0,
        durationMs: 1200,
        startedAt: '2026-06-11T10:00:01.000Z',
        finishedAt: '2026-06-11T10:00:02.200Z',
        reason: null,
        output: 'switched',
      },
      {
        stepId: 'gateway-status',
        action: 'gateway-status',
        phase: 'validate',
        status: 'failed',
        exitCode: 3,
        durationMs: 500,
        startedAt: '2026-06-11T10:00:03.000Z',
        finishedAt: '2026-06-11T10:00:03.500Z',
        reason: 'no answer',
        output: 'rpc: down\n--- stderr ---\ntimeout',
      },
    ]);
    expect(got.health).toEqual([
      { name: 'gateway-status', ok: false, detail: 'gateway does not answer RPC', at: '2026-06-11T10:00:04.000Z', attempt: 2 },
      { name: 'channel:telegram', ok: false, detail: 'probe failed', at: '2026-06-11T10:00:04.000Z', attempt: 2 },
    ]);
    expect(got.approvals.map((a) => [a.stepId, a.how, a.what, a.approved])).toEqual([
      [null, 'interactive', 'apply plan eeee', true],
      ['activate', 'interactive', 'step activate', false],
    ]);
    expect(again.history()).toHaveLength(1);
    again.close();
  });

  it('lists history newest first, per host and limited, even within one millisecond', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const ids = ['staging-1', 'prod-1', 'staging-1', 'staging-1'].map((host) => r.startDeployment(deployment({ host, startedAt: '2026-01-01T00:00:00Z' })));
    expect(r.history().map((d) => d.id)).toEqual([...ids].reverse());
    expect(r.history('staging-1', 2).map((d) => d.id)).toEqual([ids[3], ids[2]]);
    expect(r.history('prod-1').map((d) => d.id)).toEqual([ids[1]]);
    expect(r.history('nobody')).toEqual([]);
    r.close();
  });

  it('refuses writes that would corrupt the ledger', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    expect(r.get('nope')).toBeNull();
    expect(() => r.recordStep('nope', { stepId: 's', action: 'a', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 1, output: '' })).toThrow(/no deployment nope/);
    expect(() => r.recordHealth('nope', [{ name: 'x', ok: true, detail: '' }])).toThrow(/no deployment nope/);
    expect(() => r.finishDeployment('nope', { outcome: 'succeeded' })).toThrow(/no deployment nope/);

    const id = r.startDeployment(deployment());
    expect(() => r.recordStep(id, { stepId: 's', action: 'a', phase: 'deploy' as never, status: 'ok', exitCode: 0, durationMs: 1, output: '' })).toThrow(/invalid phase/);
    expect(() => r.startDeployment(deployment({ operation: 'yolo' as never }))).toThrow(/invalid operation/);
    expect(() => r.finishDeployment(id, { outcome: 'running' as never })).toThrow(/cannot set outcome/);
    r.finishDeployment(id, { outcome: 'succeeded', generationAfter: GEN(2) });
    expect(() => r.finishDeployment(id, { outcome: 'failed' })).toThrow(/already ended \(succeeded\)/);
    expect(r.get(id)).toMatchObject({ outcome: 'succeeded', generationAfter: GEN(2) });
    r.close();
  });

  it("fills a step's times from its duration when the caller has none", () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const id = r.startDeployment(deployment());
    r.recordStep(id, { stepId: 'lock', action: 'write-host-file', phase: 'bookkeeping', status: 'ok', exitCode: 0, durationMs: 250, finishedAt: '2026-01-01T00:00:01.000Z', output: '' });
    expect(r.get(id)!.steps[0]).toMatchObject({ phase: 'bookkeeping', startedAt: '2026-01-01T00:00:00.750Z', finishedAt: '2026-01-01T00:00:01.000Z' });
    r.close();
  });
});
