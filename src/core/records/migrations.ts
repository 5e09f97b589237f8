// Forward-only schema migrations: entry i takes user_version i to i+1. Append, never edit.
// Enumerated columns carry no CHECK: SQLite cannot alter a CHECK without rebuilding the
// table, and later issues will add outcomes; records.ts validates values instead.
import type Database from 'better-sqlite3';
import { UserError } from '../errors.js';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    environment TEXT,
    target TEXT,
    kind TEXT,
    operation TEXT NOT NULL,
    flake_dir TEXT,
    flake_rev TEXT,
    dirty INTEGER NOT NULL,
    lock_hash TEXT,
    plan_hash TEXT,
    generation_before_number INTEGER,
    generation_before_path TEXT,
    generation_after_number INTEGER,
    generation_after_path TEXT,
    approver TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL,
    failed_check TEXT,
    pid INTEGER NOT NULL,
    pid_started TEXT,
    machine TEXT NOT NULL
  );
  CREATE INDEX deployments_host_started ON deployments(host, started_at);
  CREATE INDEX deployments_rev ON deployments(flake_rev);
  CREATE INDEX deployments_running ON deployments(outcome) WHERE outcome = 'running';

  CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    step_id TEXT NOT NULL,
    action TEXT NOT NULL,
    phase TEXT NOT NULL,
    status TEXT NOT NULL,
    exit_code INTEGER,
    duration_ms INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    reason TEXT,
    output TEXT NOT NULL
  );
  CREATE INDEX steps_deployment ON steps(deployment_id);

  CREATE TABLE health_results (
    id INTEGER PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    check_name TEXT NOT NULL,
    ok INTEGER NOT NULL,
    detail TEXT NOT NULL,
    checked_at TEXT NOT NULL,
    attempt INTEGER NOT NULL
  );
  CREATE INDEX health_deployment ON health_results(deployment_id);

  CREATE TABLE approvals (
    id INTEGER PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments(id) ON DELETE CASCADE,
    step_id TEXT,
    approver TEXT NOT NULL,
    how TEXT NOT NULL,
    what TEXT NOT NULL,
    approved INTEGER NOT NULL,
    approved_at TEXT NOT NULL
  );
  CREATE INDEX approvals_deployment ON approvals(deployment_id);

  CREATE TABLE drills (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    deployment_id TEXT REFERENCES deployments(id) ON DELETE SET NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    duration_ms INTEGER,
    outcome TEXT NOT NULL,
    from_generation_number INTEGER,
    from_generation_path TEXT,
    to_generation_number INTEGER,
    to_generation_path TEXT,
    detail TEXT
  );
  CREATE INDEX drills_host_started ON drills(host, started_at);
  `,
  // 2: the model's token use and cost, stored with the deployment it led to.
  `
  CREATE TABLE model_usage (
    id INTEGER PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments(id),
    transcript_id TEXT,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    calls INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL,
    recorded_at TEXT NOT NULL
  );
  CREATE INDEX model_usage_deployment ON model_usage(deployment_id);
  `,
  // 3: fleet rollouts: the waves as planned and each host's outcome, so a rollout can be resumed.
  `
  CREATE TABLE rollouts (
    id TEXT PRIMARY KEY,
    selector TEXT NOT NULL,
    flake_dir TEXT NOT NULL,
    flake_rev TEXT,
    options TEXT NOT NULL,
    waves TEXT NOT NULL,
    approver TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL,
    detail TEXT,
    pid INTEGER NOT NULL,
    pid_started TEXT,
    machine TEXT NOT NULL
  );
  CREATE INDEX rollouts_started ON rollouts(started_at);

  CREATE TABLE rollout_hosts (
    rollout_id TEXT NOT NULL REFERENCES rollouts(id) ON DELETE CASCADE,
    host TEXT NOT NULL,
    wave INTEGER NOT NULL,
    deployment_id TEXT REFERENCES deployments(id) ON DELETE SET NULL,
    outcome TEXT NOT NULL,
    before_number INTEGER,
    before_path TEXT,
    after_number INTEGER,
    after_path TEXT,
    detail TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (rollout_id, host)
  );
  `,
];

/** Brings the file up to `migrations.length`; refuses a file written by a newer clawdeploy. `file`: its name in errors. */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS, file: string = db.name): number {
  // IMMEDIATE takes the write lock first, so two processes opening a new file migrate once.
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new UserError(`${file} has records schema version ${current}, newer than this clawdeploy understands (${migrations.length}); upgrade clawdeploy`);
    }
    for (let v = current; v < migrations.length; v++) {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }
    return migrations.length;
  });
  return run.immediate();
}
