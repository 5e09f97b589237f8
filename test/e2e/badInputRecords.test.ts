// A ledger that cannot be used is bad input, not an internal error: a corrupted records.db or a
// read-only state dir is one line naming the file (exit 2), and nothing in it changes. Commands
// that only read (history, status) still work on a ledger they cannot write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, tempDir, type MaterializedFlake } from '../helpers/fixtures.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { oneLineError } from '../helpers/oneLineError.js';
import { openRecords, type Records } from '../../src/core/records/index.js';

let flake: MaterializedFlake;
beforeAll(async () => {
  flake = await materializeFlake('f1-single-staging', { openclawRepo: (await createOpenclawRepo()).path });
});
afterAll(() => cleanupFixtures());

/** Every file of `dir` and its bytes: what "nothing changed" compares. */
const contents = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

/**
 * Runs the CLI with `dir` read-only. Root ignores file modes, so as root `dir` is bind-mounted
 * read-only in a mount namespace of the command's own (gone when it exits); others get its mode.
 */
async function runReadOnly(dir: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  if (process.getuid?.() === 0) return runCli(args, { env, prefix: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', dir] });
  chmodSync(dir, 0o555);
  try {
    return await runCli(args, { env });
  } finally {
    chmodSync(dir, 0o755);
  }
}

/** A ledger with a finished deploy of staging and a later one whose process is gone (interrupted); open, as another clawdeploy would hold it. */
function seededLedger(): { dir: string; records: Records } {
  const dir = tempDir('state');
  const r = openRecords(join(dir, 'records.db'));
  const base = {
    host: 'staging',
    environment: 'staging',
    target: 'local',
    kind: 'home-manager',
    operation: 'apply',
    flakeDir: flake.dir,
    flakeRev: 'a'.repeat(40),
    dirty: false,
    lockHash: null,
    planHash: null,
    approver: 'alice',
  } as const;
  const gen1 = { number: 1, storePath: `/nix/store/${'1'.repeat(32)}-home-manager-generation` };
  const done = r.startDeployment({ ...base, generationBefore: null, startedAt: '2026-01-01T10:00:00Z' });
  r.finishDeployment(done, { outcome: 'succeeded', generationAfter: gen1 });
  r.startDeployment({ ...base, generationBefore: gen1, startedAt: '2026-01-02T10:00:00Z', pid: 2 ** 22 + 12345 });
  return { dir, records: r };
}

describe('a records.db that is not a ledger', () => {
  it('is one line naming it (exit 2) for reading and recording commands alike, and is left as it was', async () => {
    const dir = tempDir('state');
    writeFileSync(join(dir, 'records.db'), `SQLite format 3\0${'not a page '.repeat(400)}`);
    const before = contents(dir);
    const env = { CLAWDEPLOY_STATE_DIR: dir };
    const named = new RegExp(`^clawdeploy: ${join(dir, 'records.db').replace(/[.]/g, '\\.')}: not a readable records database \\(file is not a database\\); move it aside`);
    for (const args of [['history'], ['status', '--flake', flake.dir], ['drill', 'staging', '--yes', '--flake', flake.dir]]) oneLineError(await runCli(args, { env }), 2, named);
    expect(contents(dir)).toEqual(before);
    expect(existsSync(flake.vars['PROFILE_staging']!)).toBe(false);
  });

  it('plan with no records yet (nothing deployed from here) says nothing about records', async () => {
    const dir = join(tempDir('state'), 'not-yet');
    const r = await runCli(['plan', 'staging', '--flake', flake.dir], { env: { CLAWDEPLOY_STATE_DIR: dir } });
    expect(r.stderr).not.toMatch(/records/);
    expect(r.stdout).toMatch(/^Plan for staging/m);
    expect(existsSync(dir)).toBe(false);
  });

  it('plan (read-only) still plans, and says the records were not read and what the plan is measured from', async () => {
    const dir = tempDir('state');
    writeFileSync(join(dir, 'records.db'), `SQLite format 3\0${'not a page '.repeat(400)}`);
    const before = contents(dir);
    const r = await runCli(['plan', 'staging', '--flake', flake.dir], { env: { CLAWDEPLOY_STATE_DIR: dir } });
    expect(r.stderr).toMatch(/^clawdeploy: note: .*records\.db: not a readable records database .*; the plan is measured from git HEAD$/m);
    expect(r.stdout).toMatch(/^Plan for staging/m);
    expect(contents(dir)).toEqual(before);
  });
});

describe('a read-only state dir', () => {
  it('history and status still read the records (a dead deploy shown interrupted), and nothing in it changes', async () => {
    const { dir, records } = seededLedger();
    records.close();
    const before = contents(dir);
    const env = { CLAWDEPLOY_STATE_DIR: dir };

    const history = await runReadOnly(dir, ['history', 'staging'], env);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/staging\s+apply\s+interrupted\s+1 -> -/);
    expect(history.stdout).toMatch(/staging\s+apply\s+succeeded\s+- -> 1/);

    const status = await runReadOnly(dir, ['status', 'staging', '--flake', flake.dir], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/INTERRUPTED: deployment \w{8} \(apply, started 2026-01-02T10:00:00/);

    expect(contents(dir)).toEqual(before);
  });

  it('history reads what is still in the WAL file while another clawdeploy has the ledger open', async () => {
    const { dir, records } = seededLedger();
    try {
      expect(readdirSync(dir).sort()).toEqual(['records.db', 'records.db-shm', 'records.db-wal']);
      const r = await runReadOnly(dir, ['history', 'staging'], { CLAWDEPLOY_STATE_DIR: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/staging\s+apply\s+interrupted\s+1 -> -/);
      expect(records.history('staging')[0]?.outcome).toBe('running'); // marked in the reader's copy only
    } finally {
      records.close();
    }
  });

  it('a command that records refuses in one line naming the file (exit 2), before the host changes', async () => {
    const dir = tempDir('state');
    const r = await runReadOnly(dir, ['drill', 'staging', '--yes', '--flake', flake.dir], { CLAWDEPLOY_STATE_DIR: dir });
    oneLineError(
      r,
      2,
      new RegExp(`^clawdeploy: ${join(dir, 'records.db').replace(/[.]/g, '\\.')}: cannot open the records for writing \\(.+\\); make its directory writable, or set CLAWDEPLOY_STATE_DIR`),
    );
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(flake.vars['PROFILE_staging']!)).toBe(false);
  });

  it('a state dir that cannot be created: history says nothing is recorded yet', async () => {
    const parent = tempDir('state-parent');
    const r = await runReadOnly(parent, ['history'], { CLAWDEPLOY_STATE_DIR: join(parent, 'clawdeploy') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('no deployments recorded yet');
    expect(readdirSync(parent)).toEqual([]);
  });
});
