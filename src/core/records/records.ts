// The deployment ledger: one SQLite file, each write its own short transaction, so whatever
// a crashed deploy managed to write is still there for the next run.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Environment } from '../inventory/schema.js';
import { openLedger, type RecordsAccess } from './open.js';
import { DrillStore } from './drills.js';
import { RolloutStore, type RolloutHostUpdate } from './rollouts.js';
import { excerpt } from './excerpt.js';
import { isProcessAlive, processStartToken } from './liveness.js';
import { statePath } from './path.js';
import { NEWEST, generationColumns, isoTime, oneOf, toApproval, toDeployment, toHealth, toStep, type ApprovalRow, type DeploymentRow, type HealthRow, type StepRow } from './rows.js';
import {
  APPROVAL_HOWS,
  DEPLOYMENT_OUTCOMES,
  OPERATIONS,
  PHASES,
  type ApprovalRecord,
  type Deployment,
  type DeploymentDetail,
  type DeploymentInput,
  type DeploymentOperation,
  type DeploymentSummary,
  type Drill,
  type DrillFinish,
  type DrillInput,
  type FinishInput,
  type GenerationRef,
  type HealthRecord,
  type InterruptedScan,
  type ModelUsage,
  type Rollout,
  type RolloutInput,
  type RolloutOutcome,
  type StepRecord,
} from './types.js';

export interface RecordsOptions {
  /** Applied to every free-text field before it is written (a second line of defence). */
  redact?: (text: string) => string;
  /** `read`: a command that only reads (history, status) works on a ledger it cannot write (default `write`). */
  access?: RecordsAccess;
}

export class Records {
  private readonly db: Database.Database;
  private readonly redact: (text: string) => string;
  private readonly machine = hostname();
  private readonly drills: DrillStore;
  private readonly rolloutStore: RolloutStore;

  constructor(
    readonly path: string,
    options: RecordsOptions = {},
  ) {
    this.db = openLedger(path, options.access ?? 'write');
    this.redact = options.redact ?? ((s) => s);
    this.drills = new DrillStore(this.db, (s) => this.text(s), path);
    this.rolloutStore = new RolloutStore(this.db, (s) => this.text(s), path);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private text(s: string): string;
  private text(s: string | null | undefined): string | null;
  private text(s: string | null | undefined): string | null {
    return s === null || s === undefined ? null : this.redact(s);
  }

  /** Runs a write that names a deployment, turning a foreign-key failure into a plain message. */
  private forDeployment<T>(id: string, write: () => T): T {
    try {
      return write();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new Error(`no deployment ${id} in ${this.path}`);
      throw e;
    }
  }

  // ── writes ──────────────────────────────────────────────────────────────

  startDeployment(input: DeploymentInput): string {
    const id = input.id ?? randomUUID();
    const pid = input.pid ?? process.pid;
    const [beforeN, beforeP] = generationColumns(input.generationBefore);
    this.db
      .prepare(
        `INSERT INTO deployments (id, host, environment, target, kind, operation, flake_dir, flake_rev, dirty, lock_hash,
           plan_hash, generation_before_number, generation_before_path, approver, started_at, outcome, pid, pid_started, machine)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
      )
      .run(
        id,
        input.host,
        input.environment,
        input.target,
        input.kind,
        oneOf('operation', input.operation, OPERATIONS),
        input.flakeDir,
        input.flakeRev,
        input.dirty ? 1 : 0,
        input.lockHash,
        input.planHash,
        beforeN,
        beforeP,
        input.approver,
        isoTime(input.startedAt),
        pid,
        processStartToken(pid),
        input.machine ?? this.machine,
      );
    return id;
  }

  recordStep(deploymentId: string, step: StepRecord): void {
    const finishedAt = isoTime(step.finishedAt);
    const startedAt = step.startedAt === undefined ? isoTime(new Date(Date.parse(finishedAt) - step.durationMs)) : isoTime(step.startedAt);
    this.forDeployment(deploymentId, () =>
      this.db
        .prepare(
          `INSERT INTO steps (deployment_id, step_id, action, phase, status, exit_code, duration_ms, started_at, finished_at, reason, output)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          deploymentId,
          step.stepId,
          step.action,
          oneOf('phase', step.phase, PHASES),
          step.status,
          step.exitCode,
          Math.round(step.durationMs),
          startedAt,
          finishedAt,
          this.text(step.reason),
          // Redact the whole text first: cutting first could split a secret past the redactor.
          excerpt(this.text(step.output)),
        ),
    );
  }

  recordHealth(deploymentId: string, results: readonly HealthRecord[]): void {
    const insert = this.db.prepare(`INSERT INTO health_results (deployment_id, check_name, ok, detail, checked_at, attempt) VALUES (?, ?, ?, ?, ?, ?)`);
    const all = this.db.transaction(() => {
      for (const r of results) insert.run(deploymentId, r.name, r.ok ? 1 : 0, this.text(r.detail), isoTime(r.at), r.attempt ?? 1);
    });
    this.forDeployment(deploymentId, () => all.immediate());
  }

  recordApproval(deploymentId: string, approval: ApprovalRecord): void {
    this.forDeployment(deploymentId, () =>
      this.db
        .prepare(`INSERT INTO approvals (deployment_id, step_id, approver, how, what, approved, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
        .run(
          deploymentId,
          approval.stepId ?? null,
          approval.approver,
          oneOf('approval kind', approval.how, APPROVAL_HOWS),
          this.text(approval.what),
          approval.approved === false ? 0 : 1,
          isoTime(approval.at),
        ),
    );
  }

  /** The model's token use and cost for the conversation that led to a deployment. */
  recordUsage(deploymentId: string, u: ModelUsage): void {
    this.forDeployment(deploymentId, () =>
      this.db
        .prepare(
          `INSERT INTO model_usage (deployment_id, transcript_id, provider, model, calls, input_tokens, output_tokens, cost_usd, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(deploymentId, u.transcriptId ?? null, u.provider, u.model, u.calls, u.inputTokens, u.outputTokens, u.costUsd, isoTime(undefined)),
    );
  }

  usageOf(deploymentId: string): ModelUsage[] {
    const rows = this.db.prepare(`SELECT * FROM model_usage WHERE deployment_id = ? ORDER BY id`).all(deploymentId) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      transcriptId: (r['transcript_id'] as string | null) ?? null,
      provider: String(r['provider']),
      model: String(r['model']),
      calls: Number(r['calls']),
      inputTokens: Number(r['input_tokens']),
      outputTokens: Number(r['output_tokens']),
      costUsd: r['cost_usd'] === null ? null : Number(r['cost_usd']),
    }));
  }

  /** Ends a running deployment; throws if it does not exist or has already ended. */
  finishDeployment(id: string, finish: FinishInput): void {
    const outcome = oneOf('outcome', finish.outcome, DEPLOYMENT_OUTCOMES);
    if (outcome === 'running' || outcome === 'interrupted') throw new Error(`finishDeployment cannot set outcome "${outcome}"`);
    const [afterN, afterP] = generationColumns(finish.generationAfter);
    const changed = this.db
      .prepare(
        `UPDATE deployments SET outcome = ?, finished_at = ?, generation_after_number = ?, generation_after_path = ?, failed_check = ?
         WHERE id = ? AND outcome = 'running'`,
      )
      .run(outcome, isoTime(finish.finishedAt), afterN, afterP, this.text(finish.failedCheck), id).changes;
    if (changed === 0) {
      const row = this.row(id);
      throw new Error(row ? `deployment ${id} already ended (${row.outcome})` : `no deployment ${id} in ${this.path}`);
    }
  }

  /** Marks a running deployment interrupted, whatever its process; false if it was not running. */
  markInterrupted(id: string): boolean {
    // finished_at is the last thing it wrote, not when someone noticed: durations stay honest.
    return (
      this.db
        .prepare(
          `UPDATE deployments SET outcome = 'interrupted', finished_at = (
             SELECT max(t) FROM (
               SELECT started_at AS t FROM deployments WHERE id = :id
               UNION ALL SELECT finished_at FROM steps WHERE deployment_id = :id
               UNION ALL SELECT checked_at FROM health_results WHERE deployment_id = :id
               UNION ALL SELECT approved_at FROM approvals WHERE deployment_id = :id))
           WHERE id = :id AND outcome = 'running'`,
        )
        .run({ id }).changes > 0
    );
  }

  /** Sorts running deployments by whether their process still lives, marking the dead ones interrupted. */
  findInterrupted(host?: string): InterruptedScan {
    const scan: InterruptedScan = { interrupted: [], inProgress: [], elsewhere: [] };
    const rows = this.db.prepare(`SELECT * FROM deployments WHERE outcome = 'running' AND (? IS NULL OR host = ?) ${NEWEST}`).all(host ?? null, host ?? null) as DeploymentRow[];
    for (const r of rows) {
      if (r.machine !== this.machine) scan.elsewhere.push(toDeployment(r));
      else if (isProcessAlive(r.pid, r.pid_started)) scan.inProgress.push(toDeployment(r));
      // Only report what this call marked: another process may have just done it (or it just finished).
      else if (this.markInterrupted(r.id)) scan.interrupted.push(toDeployment(this.row(r.id)!));
    }
    return scan;
  }

  // ── reads ───────────────────────────────────────────────────────────────

  private row(id: string): DeploymentRow | undefined {
    return this.db.prepare(`SELECT * FROM deployments WHERE id = ?`).get(id) as DeploymentRow | undefined;
  }

  /** Newest first. */
  history(host?: string, limit = 50): DeploymentSummary[] {
    const rows = this.db.prepare(`SELECT * FROM deployments WHERE (? IS NULL OR host = ?) ${NEWEST} LIMIT ?`).all(host ?? null, host ?? null, limit) as DeploymentRow[];
    return rows.map(toDeployment);
  }

  get(id: string): DeploymentDetail | null {
    // One read transaction: a concurrent writer cannot show us half a deployment.
    return this.db.transaction(() => {
      const row = this.row(id);
      if (!row) return null;
      const all = <T>(sql: string) => this.db.prepare(sql).all(id) as T[];
      return {
        ...toDeployment(row),
        steps: all<StepRow>(`SELECT * FROM steps WHERE deployment_id = ? ORDER BY id`).map(toStep),
        health: all<HealthRow>(`SELECT * FROM health_results WHERE deployment_id = ? ORDER BY id`).map(toHealth),
        approvals: all<ApprovalRow>(`SELECT * FROM approvals WHERE deployment_id = ? ORDER BY id`).map(toApproval),
      };
    })();
  }

  lastSucceeded(host: string, operation?: DeploymentOperation): Deployment | null {
    const row = this.db
      .prepare(`SELECT * FROM deployments WHERE host = ? AND outcome = 'succeeded' AND (? IS NULL OR operation = ?) ${NEWEST} LIMIT 1`)
      .get(host, operation ?? null, operation ?? null) as DeploymentRow | undefined;
    return row ? toDeployment(row) : null;
  }

  /** The flake rev of the last succeeded apply on the host: the plan's base. */
  lastDeployedRev(host: string): string | null {
    return this.lastSucceeded(host, 'apply')?.flakeRev ?? null;
  }

  /** The generation the host was last known healthy on: after a success, or the one a rollback returned to. */
  lastKnownGood(host: string): GenerationRef | null {
    return this.knownGood(host, 1)[0] ?? null;
  }

  /**
   * Generations the host was known healthy on, newest first (a generation once per number): a
   * rollback or drill from the newest goes to the next, never to a generation that failed.
   */
  knownGood(host: string, limit = 20): GenerationRef[] {
    const rows = this.db
      .prepare(
        `SELECT CASE outcome WHEN 'succeeded' THEN generation_after_number ELSE generation_before_number END AS number,
                CASE outcome WHEN 'succeeded' THEN generation_after_path ELSE generation_before_path END AS storePath
         FROM deployments
         WHERE host = ? AND ((outcome = 'succeeded' AND generation_after_number IS NOT NULL)
                          OR (outcome = 'rolled-back' AND generation_before_number IS NOT NULL))
         ${NEWEST} LIMIT 200`,
      )
      .all(host) as GenerationRef[];
    const seen = new Set<number>();
    return rows
      .filter((r) => !seen.has(r.number) && seen.add(r.number))
      .slice(0, limit)
      .map((r) => ({ number: r.number, storePath: r.storePath }));
  }

  /** Clean (not dirty) applies of `rev` that succeeded in the environment, newest first: the promotion gate's evidence. */
  succeededRevOn(rev: string, environment: Environment = 'staging'): Deployment[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM deployments WHERE flake_rev = ? AND environment = ? AND operation = 'apply'
           AND outcome = 'succeeded' AND dirty = 0 ${NEWEST}`,
      )
      .all(rev, environment) as DeploymentRow[];
    return rows.map(toDeployment);
  }

  // ── drills: kept in drills.ts ───────────────────────────────────────────

  startDrill(input: DrillInput): string {
    return this.drills.start(input);
  }

  finishDrill(id: string, finish: DrillFinish): void {
    this.drills.finish(id, finish);
  }

  lastDrill(host: string): Drill | null {
    return this.drills.last(host, false);
  }

  lastPassedDrill(host: string): Drill | null {
    return this.drills.last(host, true);
  }

  // ── rollouts: kept in rollouts.ts ───────────────────────────────────────

  startRollout(input: RolloutInput): string {
    return this.rolloutStore.start(input);
  }

  setRolloutHost(id: string, host: string, update: RolloutHostUpdate): void {
    this.rolloutStore.setHost(id, host, update);
  }

  finishRollout(id: string, outcome: RolloutOutcome, detail: string | null): void {
    this.rolloutStore.finish(id, outcome, detail);
  }

  resumeRollout(id: string): void {
    this.rolloutStore.resume(id);
  }

  /** By id or a unique prefix; null when none or several match. */
  rollout(idOrPrefix: string): Rollout | null {
    return this.rolloutStore.get(idOrPrefix);
  }

  lastRolloutOf(host: string): Rollout | null {
    return this.rolloutStore.lastForHost(host);
  }

  rollouts(limit = 20): Rollout[] {
    return this.rolloutStore.list(limit);
  }
}

/** Opens (creating and migrating if needed) the ledger at `path`, by default statePath(). */
export function openRecords(path: string = statePath(), options: RecordsOptions = {}): Records {
  return new Records(path, options);
}
