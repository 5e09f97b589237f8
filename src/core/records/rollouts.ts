// Fleet rollouts: the waves as planned and every host's outcome, written as they happen so an
// interrupted rollout can be resumed from what the ledger says.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { generation, generationColumns, isoTime, oneOf } from './rows.js';
import { isProcessAlive, processStartToken } from './liveness.js';
import { ROLLOUT_HOST_OUTCOMES, ROLLOUT_OUTCOMES, type Rollout, type RolloutHost, type RolloutHostOutcome, type RolloutInput, type RolloutOutcome, type GenerationRef } from './types.js';

interface RolloutRow {
  id: string;
  selector: string;
  flake_dir: string;
  flake_rev: string | null;
  options: string;
  waves: string;
  approver: string | null;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  detail: string | null;
  pid: number;
  pid_started: string | null;
  machine: string;
}

interface RolloutHostRow {
  host: string;
  wave: number;
  deployment_id: string | null;
  outcome: string;
  before_number: number | null;
  before_path: string | null;
  after_number: number | null;
  after_path: string | null;
  detail: string | null;
}

export interface RolloutHostUpdate {
  outcome: RolloutHostOutcome;
  deploymentId?: string | null;
  before?: GenerationRef | null;
  after?: GenerationRef | null;
  detail?: string | null;
}

export class RolloutStore {
  private readonly machine = hostname();

  constructor(
    private readonly db: Database.Database,
    private readonly text: (s: string | null | undefined) => string | null,
    private readonly path: string,
  ) {}

  start(input: RolloutInput): string {
    const id = randomUUID();
    const now = isoTime(undefined);
    const insertHost = this.db.prepare(`INSERT INTO rollout_hosts (rollout_id, host, wave, outcome, updated_at) VALUES (?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO rollouts (id, selector, flake_dir, flake_rev, options, waves, approver, started_at, outcome, pid, pid_started, machine)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
        )
        .run(
          id,
          input.selector,
          input.flakeDir,
          input.flakeRev,
          JSON.stringify(input.options),
          JSON.stringify(input.waves),
          this.text(input.approver),
          now,
          process.pid,
          processStartToken(process.pid),
          this.machine,
        );
      input.waves.forEach((hosts, wave) => hosts.forEach((h) => insertHost.run(id, h, wave, 'pending', now)));
      for (const o of input.outside ?? []) {
        insertHost.run(id, o.host, -1, o.outcome, now);
        if (o.detail) this.db.prepare(`UPDATE rollout_hosts SET detail = ? WHERE rollout_id = ? AND host = ?`).run(this.text(o.detail), id, o.host);
      }
    })();
    return id;
  }

  setHost(id: string, host: string, u: RolloutHostUpdate): void {
    const outcome = oneOf('rollout host outcome', u.outcome, ROLLOUT_HOST_OUTCOMES);
    const row = this.db.prepare(`SELECT * FROM rollout_hosts WHERE rollout_id = ? AND host = ?`).get(id, host) as RolloutHostRow | undefined;
    if (!row) throw new Error(`no host ${host} in rollout ${id} of ${this.path}`);
    const [bn, bp] = u.before === undefined ? [row.before_number, row.before_path] : generationColumns(u.before);
    const [an, ap] = u.after === undefined ? [row.after_number, row.after_path] : generationColumns(u.after);
    this.db
      .prepare(
        `UPDATE rollout_hosts SET outcome = ?, deployment_id = ?, before_number = ?, before_path = ?, after_number = ?, after_path = ?, detail = ?, updated_at = ?
         WHERE rollout_id = ? AND host = ?`,
      )
      .run(outcome, u.deploymentId === undefined ? row.deployment_id : u.deploymentId, bn, bp, an, ap, u.detail === undefined ? row.detail : this.text(u.detail), isoTime(undefined), id, host);
  }

  /** Ends a rollout; `running` again when it is resumed. */
  finish(id: string, outcome: RolloutOutcome, detail: string | null): void {
    oneOf('rollout outcome', outcome, ROLLOUT_OUTCOMES);
    this.db.prepare(`UPDATE rollouts SET outcome = ?, finished_at = ?, detail = ? WHERE id = ?`).run(outcome, isoTime(undefined), this.text(detail), id);
  }

  /** Takes over a stopped or interrupted rollout for `--resume`: this process runs it now. */
  resume(id: string): void {
    this.db
      .prepare(`UPDATE rollouts SET outcome = 'running', finished_at = NULL, pid = ?, pid_started = ?, machine = ? WHERE id = ?`)
      .run(process.pid, processStartToken(process.pid), this.machine, id);
  }

  /** By id or a unique prefix of it (as `history` shows 8 characters); a dead running rollout of this machine is marked interrupted. */
  get(idOrPrefix: string): Rollout | null {
    const rows = this.db.prepare(`SELECT * FROM rollouts WHERE id LIKE ? ORDER BY started_at DESC LIMIT 2`).all(`${idOrPrefix.replace(/[%_]/g, '')}%`) as RolloutRow[];
    if (rows.length !== 1) return null;
    return this.load(rows[0]!);
  }

  /** The newest rollout that included `host`, if any. */
  lastForHost(host: string): Rollout | null {
    const row = this.db.prepare(`SELECT r.* FROM rollouts r JOIN rollout_hosts h ON h.rollout_id = r.id WHERE h.host = ? ORDER BY r.started_at DESC, r.rowid DESC LIMIT 1`).get(host) as
      RolloutRow | undefined;
    return row ? this.load(row) : null;
  }

  list(limit = 20): Rollout[] {
    const rows = this.db.prepare(`SELECT * FROM rollouts ORDER BY started_at DESC, rowid DESC LIMIT ?`).all(limit) as RolloutRow[];
    return rows.map((r) => this.load(r));
  }

  private load(r: RolloutRow): Rollout {
    let outcome = oneOf('rollout outcome', r.outcome, ROLLOUT_OUTCOMES);
    if (outcome === 'running' && r.machine === this.machine && !isProcessAlive(r.pid, r.pid_started)) {
      // Its clawdeploy died (kill -9, a lost terminal): say so, as for deployments. A reader of
      // records it cannot write (a read-only state dir) still sees it interrupted.
      try {
        this.finish(r.id, 'interrupted', 'the clawdeploy running it stopped');
      } catch {
        // Said, not written.
      }
      outcome = 'interrupted';
    }
    const hosts = (this.db.prepare(`SELECT * FROM rollout_hosts WHERE rollout_id = ? ORDER BY wave, rowid`).all(r.id) as RolloutHostRow[]).map((h): RolloutHost => ({
      host: h.host,
      wave: h.wave,
      deploymentId: h.deployment_id,
      outcome: oneOf('rollout host outcome', h.outcome, ROLLOUT_HOST_OUTCOMES),
      before: generation(h.before_number, h.before_path),
      after: generation(h.after_number, h.after_path),
      detail: h.detail,
    }));
    const fresh = outcome === r.outcome ? r : { ...r, ...(this.db.prepare(`SELECT finished_at, detail FROM rollouts WHERE id = ?`).get(r.id) as Pick<RolloutRow, 'finished_at' | 'detail'>) };
    return {
      id: r.id,
      selector: r.selector,
      flakeDir: r.flake_dir,
      flakeRev: r.flake_rev,
      options: JSON.parse(r.options) as Rollout['options'],
      waves: JSON.parse(r.waves) as string[][],
      approver: r.approver,
      startedAt: r.started_at,
      finishedAt: fresh.finished_at,
      outcome,
      detail: fresh.detail,
      pid: r.pid,
      machine: r.machine,
      hosts,
    };
  }
}
