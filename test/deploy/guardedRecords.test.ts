// The deploy flow's records behind an asynchronous port: the SQLite records adapted to it, and the
// guard that keeps a failed write from stopping a deploy (issue 10: said once the host is safe).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { openRecords, type Records } from '../../src/core/records/index.js';
import { ledgerFor } from '../../src/core/deploy/recordsLedger.js';
import { WriteFailures, guardedDrills, guardedLedger, unrecordedNote } from '../../src/core/deploy/guardedRecords.js';
import type { DeploymentStart, DrillLedger, Ledger } from '../../src/core/deploy/ledger.js';
import { GEN, tempDir } from '../records/helpers.js';

const START: DeploymentStart = {
  host: 'staging',
  environment: 'staging',
  target: 'local',
  kind: 'home-manager',
  operation: 'apply',
  flakeDir: '/src/flake',
  flakeRev: null,
  dirty: false,
  lockHash: null,
  planHash: null,
  generationBefore: GEN(1),
  approver: 'tester',
};
const STEP = { stepId: 's1', action: 'set-profile', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 5, output: '' } as const;

const opened: Records[] = [];
afterEach(() => {
  for (const r of opened.splice(0)) r.close();
});
function records(): Records {
  const r = openRecords(join(tempDir(), 'records.db'));
  opened.push(r);
  return r;
}

/** A ledger whose every write fails: by a rejected Promise (a shared database) or a throw before one. */
function failing(how: 'rejects' | 'throws', file = '/state/records.db'): Ledger & DrillLedger & { calls: string[] } {
  const calls: string[] = [];
  const fail = (name: string): Promise<never> => {
    calls.push(name);
    const e = new Error('database or disk is full');
    if (how === 'throws') throw e;
    return Promise.reject(e);
  };
  return {
    calls,
    file,
    start: () => fail('start'),
    step: () => fail('step'),
    health: () => fail('health'),
    approval: () => fail('approval'),
    finish: () => fail('finish'),
    startDrill: () => fail('startDrill'),
    finishDrill: () => fail('finishDrill'),
  };
}

describe('the SQLite records through the Ledger port', () => {
  it('writes in the order they are awaited, and the deployment reads back whole', async () => {
    const r = records();
    const ledger = ledgerFor(r);
    const id = await ledger.start(START);
    await ledger.step(id, STEP);
    await ledger.health(id, [{ check: 'gateway-status', ok: true, detail: 'up', attempt: 1 }]);
    await ledger.approval(id, 's1', 'tester', 'yes-flag', 'apply plan');
    await ledger.finish(id, 'succeeded', { generationAfter: GEN(2) });
    expect(r.get(id)).toMatchObject({
      outcome: 'succeeded',
      generationAfter: { number: 2 },
      steps: [{ action: 'set-profile', status: 'ok' }],
      health: [{ name: 'gateway-status', ok: true, attempt: 1 }],
      approvals: [{ approver: 'tester', how: 'yes-flag' }],
    });
    const drill = await ledger.startDrill('staging', GEN(2), GEN(1));
    await ledger.finishDrill(drill, 'passed', 'healthy both ways');
    expect(r.lastPassedDrill('staging')?.id).toBe(drill);
  });

  it('a write SQLite refuses is a rejected Promise, never a throw at the call', async () => {
    const ledger = ledgerFor(records());
    const id = await ledger.start(START);
    await ledger.finish(id, 'succeeded');
    const again = ledger.finish(id, 'failed');
    await expect(again).rejects.toThrow(/already ended \(succeeded\)/);
  });
});

describe('guarded writes: a failure is kept and said once, the deploy goes on', () => {
  it.each(['rejects', 'throws'] as const)('a ledger whose writes %s: nothing rejects, every later write is still tried, one line is said', async (how) => {
    const inner = failing(how);
    const failures = new WriteFailures();
    const ledger = guardedLedger(inner, failures);
    const drills = guardedDrills(inner, ledger.file ?? 'the local records', failures);
    // A start that failed still gives an id, known to no file.
    const id = await ledger.start(START);
    expect(id).toMatch(/^unrecorded-/);
    await ledger.step(id, STEP);
    await ledger.health(id, []);
    await ledger.approval(id, null, 'tester', 'interactive', 'apply plan');
    await ledger.finish(id, 'failed');
    expect(await drills.startDrill('staging', GEN(2), GEN(1))).toMatch(/^unrecorded-/);
    await drills.finishDrill('d', 'failed', 'x');
    expect(inner.calls).toEqual(['start', 'step', 'health', 'approval', 'finish', 'startDrill', 'finishDrill']);
    expect(failures.summary()).toBe('/state/records.db: database or disk is full');
    expect(unrecordedNote(failures, { generation: 1, healthy: true, hostRecord: true })).toBe(
      'the local record could not be written: /state/records.db: database or disk is full; the host is safe on generation 1; the on-host record was written',
    );
  });

  it('a guarded write resolves only once the write is done, so awaiting it keeps the order', async () => {
    const done: string[] = [];
    // Each write is held until the test lets it finish: no timers.
    const held = new Map<string, () => void>();
    const hold = (name: string) => new Promise<void>((resolve) => held.set(name, () => (done.push(name), resolve())));
    const inner: Ledger = {
      start: async () => 'id',
      step: () => hold('step'),
      health: () => hold('health'),
      approval: () => hold('approval'),
      finish: () => hold('finish'),
    };
    const ledger = guardedLedger(inner, new WriteFailures());
    for (const [name, write] of [
      ['step', () => ledger.step('id', STEP)],
      ['finish', () => ledger.finish('id', 'succeeded')],
    ] as const) {
      let settled = false;
      const writing = write().then(() => (settled = true));
      await vi.waitFor(() => expect(held.has(name)).toBe(true));
      await Promise.resolve();
      expect(settled).toBe(false);
      held.get(name)!();
      await writing;
      expect(settled).toBe(true);
    }
    expect(done).toEqual(['step', 'finish']);
  });

  it('all writes going through: nothing is said', async () => {
    const failures = new WriteFailures();
    const ledger = guardedLedger(ledgerFor(records()), failures);
    const id = await ledger.start(START);
    await ledger.finish(id, 'succeeded');
    expect(failures.any).toBe(false);
    expect(unrecordedNote(failures, { generation: 2, healthy: true, hostRecord: true })).toBeNull();
  });
});
