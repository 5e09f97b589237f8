// A full disk on this machine never abandons the host (issue 10, item 7): once the host has
// changed, validation and rollback go on whatever the local records do; what could not be
// written is said once the host is safe, and the on-host record is still written. Before the
// host changes, a deploy that cannot be recorded does not start. Real local hosts; the records
// fail through a ledger whose writes throw, and for real on a small tmpfs filled mid-deploy.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { NIX_ENV, tempDir } from '../helpers/fixtures.js';
import { applyPlan, type DeployEvent } from '../../src/core/deploy/apply.js';
import { rollbackHost } from '../../src/core/deploy/rollback.js';
import { drillHost } from '../../src/core/deploy/drill.js';
import { loadHost } from '../../src/core/inventory/load.js';
import type { DrillLedger, Ledger } from '../../src/core/deploy/ledger.js';
import { openRecords } from '../../src/core/records/index.js';
import { analyse, asOperator, currentGeneration, inProcess } from './localDeploy.js';

const { make } = useLocalHosts({ extraVersions: [{ version: '2026.6.12', broken: true }] });
const hostRecord = (h: LocalHost) => JSON.parse(readFileSync(`${h.profile}.clawdeploy/last-deploy.json`, 'utf8')) as Record<string, unknown>;

/** The real SQLite ledger, until `full` is set: then every write throws as SQLite does on a full disk. */
function fillable(real: Ledger & DrillLedger): Ledger & DrillLedger & { full: boolean } {
  const check = () => {
    if (ledger.full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
  const ledger = {
    full: false,
    file: real.file,
    start: (...a: Parameters<Ledger['start']>) => (check(), real.start(...a)),
    step: (...a: Parameters<Ledger['step']>) => (check(), real.step(...a)),
    health: (...a: Parameters<Ledger['health']>) => (check(), real.health(...a)),
    approval: (...a: Parameters<Ledger['approval']>) => (check(), real.approval(...a)),
    finish: (...a: Parameters<Ledger['finish']>) => (check(), real.finish(...a)),
    startDrill: (...a: Parameters<DrillLedger['startDrill']>) => (check(), real.startDrill(...a)),
    finishDrill: (...a: Parameters<DrillLedger['finishDrill']>) => (check(), real.finishDrill(...a)),
  };
  return ledger;
}

const onPhase = (phase: string, fn: () => void) => (e: DeployEvent) => {
  if (e.type === 'phase' && e.phase === phase) fn();
};

describe('records that cannot be written (a ledger whose writes throw)', () => {
  it('filling up after activation: validation fails, the rollback runs and is verified, then the lost record is said (exit 1)', async () => {
    const h = await make('f6-bump-broken', { seed: true });
    let ledger: ReturnType<typeof fillable> | undefined;
    const run = inProcess(h, { ledger: (real) => (ledger = fillable(real)), onEvent: onPhase('validate', () => (ledger!.full = true)) });
    run.deps.validation = { deadlineMs: 6_000 };
    try {
      const { plan, host } = await asOperator(h, () => analyse(h));
      const r = await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps));
      expect(r.outcome, r.message).toBe('rolled-back');
      expect(r.exitCode).toBe(1);
      expect(r.message).toMatch(
        /rolled back to generation 1, which is healthy; the local record could not be written: \S+records\.db: database or disk is full; the host is safe on generation 1; the on-host record was written$/,
      );
      // Said once, whatever the number of writes that failed.
      expect(r.message.match(/could not be written/g)).toHaveLength(1);
      expect(await currentGeneration(h.profile)).toBe(1);
      expect(r.health?.every((c) => c.ok)).toBe(true);
      expect(hostRecord(h)).toMatchObject({ operation: 'apply', outcome: 'rolled-back', generation: { number: 1 } });
      expect(existsSync(`${h.profile}.clawdeploy/lock`)).toBe(false);
    } finally {
      run.close();
    }
  });

  it('a record that cannot be started: nothing on the host changes', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const run = inProcess(h, { ledger: (real) => Object.assign(fillable(real), { full: true }) });
    try {
      const { plan, host } = await asOperator(h, () => analyse(h));
      const r = await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps));
      expect(r).toMatchObject({ outcome: 'refused', exitCode: 1, deploymentId: null });
      expect(r.message).toMatch(/^the local record could not be written: \S+records\.db: database or disk is full; nothing on the host changed$/);
      expect(run.asked).toEqual([]);
      expect(await currentGeneration(h.profile)).toBe(1);
      expect(existsSync(`${h.profile}.clawdeploy`)).toBe(false);
    } finally {
      run.close();
    }
  });
});

describe('an incident rollback with records that cannot be written', () => {
  it('rolls back and verifies anyway, then says what was lost (exit 1); a drill, which is not urgent, does not start', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    let ledger: ReturnType<typeof fillable> | undefined;
    const run = inProcess(h, { ledger: (real) => (ledger = fillable(real)) });
    try {
      const { plan, host } = await asOperator(h, () => analyse(h));
      expect((await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps))).outcome).toBe('succeeded');
      const knownGood = run.records.knownGood('staging');
      ledger!.full = true;
      const staging = await loadHost(h.flake.dir, 'staging');
      const r = await asOperator(h, () => rollbackHost({ host: staging, flakeDir: h.flake.dir, lastKnownGood: knownGood }, run.deps));
      expect(r.outcome, r.message).toBe('succeeded');
      expect(r.exitCode).toBe(1);
      expect(r.message).toMatch(
        /^rolled staging back to generation 1, which is healthy; the local record could not be written: \S+records\.db: database or disk is full; the host is safe on generation 1; the on-host record was written$/,
      );
      expect(await currentGeneration(h.profile)).toBe(1);
      expect(hostRecord(h)).toMatchObject({ operation: 'rollback', outcome: 'succeeded', generation: { number: 1 } });

      const d = await asOperator(h, () => drillHost({ host: staging, flakeDir: h.flake.dir, knownGood }, run.deps));
      expect(d).toMatchObject({ outcome: 'refused', exitCode: 1 });
      expect(d.message).toMatch(/^the local record could not be written: \S+records\.db: database or disk is full; nothing on the host changed$/);
      expect(await currentGeneration(h.profile)).toBe(1);
    } finally {
      run.close();
    }
  });
});

const mounts: string[] = [];
afterAll(async () => {
  for (const dir of mounts) await execa('umount', [dir], { reject: false });
});

/** A small tmpfs of its own, to be the state dir (records.db, audit.jsonl). Root only. */
async function smallDisk(): Promise<string> {
  const dir = tempDir('full-state');
  mkdirSync(dir, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

/** Writes zeros until the file system says it is full. */
function fill(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(process.getuid?.() !== 0)('a state dir on a tmpfs that fills up mid-deploy', () => {
  it('in process: the deploy validates and promotes, the on-host record is written, the lost local record is said (exit 1)', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const dir = await smallDisk();
    const run = inProcess(h, { stateDir: dir, onEvent: onPhase('validate', () => fill(dir)) });
    try {
      const { plan, host } = await asOperator(h, () => analyse(h));
      const r = await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps));
      expect(r.outcome, r.message).toBe('succeeded');
      expect(r.exitCode).toBe(1);
      expect(r.message).toMatch(new RegExp(`^deployed staging: generation 2 is healthy; the local record could not be written: ${dir}/(records\\.db: database or disk is full|audit\\.jsonl: ENOSPC)`));
      expect(r.message).toMatch(/; the host is safe on generation 2; the on-host record was written$/);
      expect(await currentGeneration(h.profile)).toBe(2);
      expect(hostRecord(h)).toMatchObject({ operation: 'apply', outcome: 'succeeded', generation: { number: 2 } });
    } finally {
      run.close();
      rmSync(join(dir, 'filler'), { force: true });
    }
    // What was written before the disk filled is still there.
    const records = openRecords(join(dir, 'records.db'));
    try {
      expect(records.history('staging', 1)[0]).toMatchObject({ operation: 'apply', generationBefore: { number: 1 } });
    } finally {
      records.close();
    }
  });

  it('the CLI: a broken generation is rolled back and verified although the disk filled during validation', async () => {
    const h = await make('f6-bump-broken', { seed: true });
    const dir = await smallDisk();
    const child = execa('node', [join(import.meta.dirname, '../../bin/clawdeploy.mjs'), 'apply', 'staging', '--yes', '--deadline', '8', '--flake', h.flake.dir], {
      env: { ...process.env, ...NIX_ENV, ...h.env, CLAWDEPLOY_STATE_DIR: dir },
      reject: false,
    });
    let filled = false;
    child.stderr!.on('data', (b: Buffer) => {
      if (!filled && b.toString().includes('validating')) {
        fill(dir);
        filled = true;
      }
    });
    const r = await child;
    expect(filled, `${r.stdout}\n${r.stderr}`).toBe(true);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(1);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).toMatch(/rolled back to generation 1, which is healthy; the local record could not be written: \S+: (database or disk is full|ENOSPC)/);
    expect(r.stdout).toMatch(/the host is safe on generation 1; the on-host record was written/);
    expect(await currentGeneration(h.profile)).toBe(1);
    expect(hostRecord(h)).toMatchObject({ outcome: 'rolled-back', generation: { number: 1 } });
    rmSync(join(dir, 'filler'), { force: true });
  });
});
