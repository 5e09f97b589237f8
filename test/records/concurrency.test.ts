import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecords } from '../../src/core/records/index.js';
import { firstLine, nodeChild, run, tempDir } from './helpers.js';

const N = 150;

// Each writer says it is loaded, waits for the go file, opens the (not yet existing) ledger and
// writes full deployments, pausing a millisecond between them as a real deploy would (SQLite's
// busy handler is not fair: two writers in tight loops mostly take turns in long runs).
const WRITER = `
  const { existsSync } = await import('node:fs');
  console.log('ready');
  while (!existsSync(process.env.GO)) {}
  const r = R.openRecords(process.env.DB);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < ${N}; i++) {
    const id = r.startDeployment({ host: process.env.HOST, environment: 'staging', target: 'local', kind: 'profile', operation: 'apply',
      flakeDir: '/f', flakeRev: String(i), dirty: false, lockHash: null, planHash: null, generationBefore: null, approver: 'w' });
    r.recordStep(id, { stepId: 's' + i, action: 'activate', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 1, output: 'x'.repeat(200) });
    r.recordHealth(id, [{ name: 'gateway-status', ok: true, detail: 'ok' }, { name: 'channel:telegram', ok: true, detail: 'ok' }]);
    r.finishDeployment(id, { outcome: 'succeeded', generationAfter: { number: i + 1, storePath: '/nix/store/g' } });
    Atomics.wait(pause, 0, 0, 1);
  }
  r.close();
  console.log('done');
`;

describe('two clawdeploy processes on one ledger', () => {
  it('both create, migrate and write the same file at once without losing a row', async () => {
    const dir = tempDir();
    const file = join(dir, 'state', 'records.db');
    const go = join(dir, 'go');
    const children = ['host-a', 'host-b'].map((HOST) => nodeChild(WRITER, { DB: file, HOST, GO: go }));
    const done = children.map(run);
    await Promise.all(children.map(firstLine));
    writeFileSync(go, '');
    expect(await Promise.all(done)).toEqual(['ready\ndone\n', 'ready\ndone\n']);

    // The writes really interleaved (otherwise this test would prove nothing).
    const raw = new Database(file, { readonly: true });
    const order = (raw.prepare(`SELECT host FROM deployments ORDER BY rowid`).all() as { host: string }[]).map((d) => d.host);
    raw.close();
    const switches = order.filter((h, i) => i > 0 && h !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(10);

    const r = openRecords(file);
    for (const host of ['host-a', 'host-b']) {
      const all = r.history(host, 10 * N);
      expect(all).toHaveLength(N);
      expect(all.every((d) => d.outcome === 'succeeded')).toBe(true);
      const one = r.get(all[0]!.id)!;
      expect(one.steps).toHaveLength(1);
      expect(one.health).toHaveLength(2);
    }
    expect(r.lastKnownGood('host-a')).toEqual({ number: N, storePath: '/nix/store/g' });
    r.close();
  });

  it('lets several processes open the same new files at the same moment', async () => {
    const dir = tempDir();
    const go = join(dir, 'go');
    // Each opener creates the same forty ledgers (the race is rare; forty makes it show) in the same order, racing the others on each.
    const OPENER = `
      const { existsSync } = await import('node:fs');
      console.log('ready');
      while (!existsSync(process.env.GO)) {}
      const opened = [];
      for (let i = 0; i < 40; i++) opened.push(R.openRecords(process.env.DIR + '/r' + i + '.db'));
      for (const r of opened) {
        r.startDeployment({ host: 'h', environment: null, target: null, kind: null, operation: 'apply', flakeDir: null, flakeRev: null,
          dirty: false, lockHash: null, planHash: null, generationBefore: null, approver: null });
        r.close();
      }
      console.log('done');
    `;
    const children = [...Array(6)].map(() => nodeChild(OPENER, { DIR: dir, GO: go }));
    const done = children.map(run);
    await Promise.all(children.map(firstLine));
    writeFileSync(go, '');
    expect(await Promise.all(done)).toEqual(Array(6).fill('ready\ndone\n'));
    for (let i = 0; i < 40; i++) {
      const r = openRecords(join(dir, `r${i}.db`));
      expect(r.history()).toHaveLength(6);
      r.close();
    }
  });
});
