import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRecords } from '../../src/core/records/index.js';
import { RECORDS_URL, deployment, firstLine, nodeChild, tempDir } from './helpers.js';

// The child starts a deployment, writes a step and a health result, prints the id, then hangs.
const DEPLOY_THEN_SLEEP = `
  const r = R.openRecords(process.env.DB);
  const id = r.startDeployment({ host: 'staging-1', environment: 'staging', target: 'local', kind: 'profile', operation: 'apply',
    flakeDir: '/src/flake', flakeRev: 'c'.repeat(40), dirty: false, lockHash: null, planHash: 'p', generationBefore: { number: 4, storePath: '/nix/store/x-gen' }, approver: '--yes', startedAt: '2026-06-01T00:00:00Z' });
  r.recordApproval(id, { approver: '--yes', how: 'yes-flag', what: 'apply plan p', at: '2026-06-01T00:00:01Z' });
  r.recordStep(id, { stepId: 'activate', action: 'activate', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 10,
    startedAt: '2026-06-01T00:00:02Z', finishedAt: '2026-06-01T00:00:03Z', output: 'activated' });
  r.recordHealth(id, [{ name: 'gateway-status', ok: true, detail: 'answers RPC', at: '2026-06-01T00:00:04Z' }]);
  console.log(id);
  setInterval(() => {}, 1000);
`;

describe('deployments whose clawdeploy died', () => {
  it('marks a kill -9ed deploy interrupted, keeping what it wrote', async () => {
    const file = join(tempDir(), 'records.db');
    const child = nodeChild(DEPLOY_THEN_SLEEP, { DB: file });
    try {
      const id = await firstLine(child);
      const r = openRecords(file);

      // Alive: in progress, untouched.
      const live = r.findInterrupted('staging-1');
      expect(live.inProgress.map((d) => [d.id, d.pid])).toEqual([[id, child.pid]]);
      expect(live.interrupted).toEqual([]);
      expect(r.get(id)!.outcome).toBe('running');

      child.kill('SIGKILL');
      await once(child, 'exit');

      const scan = r.findInterrupted();
      expect(scan.inProgress).toEqual([]);
      expect(scan.interrupted.map((d) => [d.id, d.outcome])).toEqual([[id, 'interrupted']]);
      const got = r.get(id)!;
      // finished_at is the last sign of life (the health result), not when we noticed.
      expect(got).toMatchObject({ outcome: 'interrupted', finishedAt: '2026-06-01T00:00:04.000Z', generationBefore: { number: 4 } });
      expect(got.steps.map((s) => [s.stepId, s.output])).toEqual([['activate', 'activated']]);
      expect(got.health.map((h) => h.name)).toEqual(['gateway-status']);
      expect(got.approvals.map((a) => a.how)).toEqual(['yes-flag']);

      // Idempotent: nothing new the second time, and the record is unchanged.
      expect(r.findInterrupted()).toEqual({ interrupted: [], inProgress: [], elsewhere: [] });
      expect(r.get(id)).toEqual(got);
      expect(() => r.finishDeployment(id, { outcome: 'succeeded' })).toThrow(/already ended \(interrupted\)/);
      r.close();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it.skipIf(process.platform !== 'linux')('treats a zombie (killed, never reaped) as dead', async () => {
    const file = join(tempDir(), 'records.db');
    // sh backgrounds the node child, then becomes `sleep`, which never reaps it: once killed it stays a zombie.
    const program = `const R = await import(process.env.RECORDS_URL);\n${DEPLOY_THEN_SLEEP}`;
    const parent = spawn('sh', ['-c', `"$NODE" --import tsx --input-type=module -e "$PROGRAM" & exec sleep 60`], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, DB: file, NODE: process.execPath, PROGRAM: program, RECORDS_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pid = 0;
    try {
      const id = await firstLine(parent);
      const r = openRecords(file);
      pid = r.get(id)!.pid;
      expect(pid).not.toBe(parent.pid);
      expect(r.findInterrupted().inProgress.map((d) => d.id)).toEqual([id]);

      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (!/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) {
        if (Date.now() > deadline) throw new Error('child did not become a zombie');
        await new Promise((res) => setTimeout(res, 20));
      }
      expect(() => process.kill(pid, 0)).not.toThrow(); // the pid still exists: kill(0) alone would be fooled
      expect(r.findInterrupted().interrupted.map((d) => d.id)).toEqual([id]);
      r.close();
    } finally {
      if (pid) process.kill(pid, 'SIGKILL'); // harmless on a zombie; ends the child if the test failed early
      parent.kill('SIGKILL');
    }
  });

  it('does not mistake a reused pid for the deploy that died', () => {
    const file = join(tempDir(), 'records.db');
    const r = openRecords(file);
    const id = r.startDeployment(deployment()); // this process: alive
    expect(r.findInterrupted().inProgress.map((d) => d.id)).toEqual([id]);
    const raw = new Database(file);
    raw.prepare(`UPDATE deployments SET pid_started = '1' WHERE id = ?`).run(id); // as if the pid now names another process
    raw.close();
    expect(r.findInterrupted().interrupted.map((d) => d.id)).toEqual([id]);
    r.close();
  });

  it('leaves deploys started on another machine alone', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const id = r.startDeployment(deployment({ machine: 'some-other-laptop', pid: 2 ** 22 + 12345 }));
    const scan = r.findInterrupted();
    expect(scan.elsewhere.map((d) => [d.id, d.machine])).toEqual([[id, 'some-other-laptop']]);
    expect(scan.interrupted).toEqual([]);
    expect(r.get(id)!.outcome).toBe('running');
    r.close();
  });

  it('filters by host and marks on request', () => {
    const r = openRecords(join(tempDir(), 'records.db'));
    const dead = r.startDeployment(deployment({ host: 'staging-2', pid: 2 ** 22 + 12345 }));
    expect(r.findInterrupted('staging-1').interrupted).toEqual([]);
    expect(r.get(dead)!.outcome).toBe('running');
    expect(r.findInterrupted('staging-2').interrupted.map((d) => d.id)).toEqual([dead]);

    const mine = r.startDeployment(deployment({ startedAt: '2026-06-01T00:00:00Z' }));
    expect(r.markInterrupted(mine)).toBe(true);
    expect(r.markInterrupted(mine)).toBe(false);
    expect(r.get(mine)).toMatchObject({ outcome: 'interrupted', finishedAt: '2026-06-01T00:00:00.000Z' });
    r.close();
  });
});
