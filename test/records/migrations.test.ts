import Database from 'better-sqlite3';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openRecords } from '../../src/core/records/index.js';
import { deployment, tempDir } from './helpers.js';

function inspect(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      version: db.pragma('user_version', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      tables: (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((t) => t.name),
    };
  } finally {
    db.close();
  }
}

describe('the ledger file and its schema', () => {
  it('turns an empty file into a WAL database at the latest schema', () => {
    const file = join(tempDir(), 'records.db');
    writeFileSync(file, '');
    openRecords(file).close();
    expect(inspect(file)).toEqual({
      version: MIGRATIONS.length,
      journal: 'wal',
      tables: ['approvals', 'deployments', 'drills', 'health_results', 'model_usage', 'rollout_hosts', 'rollouts', 'steps'],
    });
  });

  it('creates missing directories 0700 and the file 0600', () => {
    const dir = join(tempDir(), 'a', 'b');
    const file = join(dir, 'records.db');
    openRecords(file).close();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reopens without migrating twice and keeps the data', () => {
    const file = join(tempDir(), 'records.db');
    const r = openRecords(file);
    const id = r.startDeployment(deployment());
    r.close();
    const again = openRecords(file);
    expect(again.get(id)?.host).toBe('staging-1');
    again.close();
    expect(inspect(file).version).toBe(MIGRATIONS.length);
  });

  it('applies a later migration to an existing ledger, then refuses to be opened by the older code', () => {
    const file = join(tempDir(), 'records.db');
    const r = openRecords(file);
    const id = r.startDeployment(deployment());
    r.close();

    const db = new Database(file);
    const next = [...MIGRATIONS, `ALTER TABLE deployments ADD COLUMN note TEXT; UPDATE deployments SET note = 'migrated';`];
    expect(migrate(db, next)).toBe(MIGRATIONS.length + 1);
    expect(migrate(db, next)).toBe(MIGRATIONS.length + 1); // idempotent: the UPDATE does not run again
    db.prepare(`UPDATE deployments SET note = 'kept'`).run();
    expect(migrate(db, next)).toBe(MIGRATIONS.length + 1);
    expect(db.prepare(`SELECT id, host, note FROM deployments`).all()).toEqual([{ id, host: 'staging-1', note: 'kept' }]);
    db.close();

    expect(() => openRecords(file)).toThrow(/newer than this clawdeploy understands/);
  });

  it('rolls back a migration that fails half way', () => {
    const file = join(tempDir(), 'records.db');
    openRecords(file).close();
    const db = new Database(file);
    expect(() => migrate(db, [...MIGRATIONS, `CREATE TABLE extra (x); SELECT * FROM no_such_table;`])).toThrow(/no such table/);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('enforces foreign keys: a step cannot outlive its deployment', () => {
    const file = join(tempDir(), 'records.db');
    const r = openRecords(file);
    const id = r.startDeployment(deployment());
    r.recordStep(id, { stepId: 's', action: 'a', phase: 'apply', status: 'ok', exitCode: 0, durationMs: 1, output: '' });
    r.close();
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    db.prepare(`DELETE FROM deployments WHERE id = ?`).run(id);
    expect(db.prepare(`SELECT count(*) AS n FROM steps`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a file that is not a ledger', () => {
    const file = join(tempDir(), 'records.db');
    writeFileSync(file, 'this is not a database, it is a text file long enough to have a header '.repeat(10));
    expect(() => openRecords(file)).toThrow(/not a database/);
  });
});
