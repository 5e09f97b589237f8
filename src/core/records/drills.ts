// Rollback drills: when the way back was last proven to work on a host.
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { NEWEST, generationColumns, isoTime, oneOf, toDrill, type DrillRow } from './rows.js';
import type { Drill, DrillFinish, DrillInput } from './types.js';

export class DrillStore {
  constructor(
    private readonly db: Database.Database,
    private readonly text: (s: string | null | undefined) => string | null,
    private readonly path: string,
  ) {}

  start(input: DrillInput): string {
    const id = input.id ?? randomUUID();
    const [fromN, fromP] = generationColumns(input.fromGeneration);
    const [toN, toP] = generationColumns(input.toGeneration);
    this.db
      .prepare(
        `INSERT INTO drills (id, host, deployment_id, started_at, outcome, from_generation_number, from_generation_path,
           to_generation_number, to_generation_path)
         VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
      )
      .run(id, input.host, input.deploymentId ?? null, isoTime(input.startedAt), fromN, fromP, toN, toP);
    return id;
  }

  /** Ends a running drill; throws if it does not exist or has already ended. */
  finish(id: string, finish: DrillFinish): void {
    const outcome = oneOf('drill outcome', finish.outcome, ['passed', 'failed'] as const);
    const drill = this.db.prepare(`SELECT * FROM drills WHERE id = ?`).get(id) as DrillRow | undefined;
    if (!drill) throw new Error(`no drill ${id} in ${this.path}`);
    const finishedAt = isoTime(finish.finishedAt);
    const duration = finish.durationMs ?? Date.parse(finishedAt) - Date.parse(drill.started_at);
    const [toN, toP] = finish.toGeneration === undefined ? [drill.to_generation_number, drill.to_generation_path] : generationColumns(finish.toGeneration);
    const changed = this.db
      .prepare(
        `UPDATE drills SET outcome = ?, finished_at = ?, duration_ms = ?, to_generation_number = ?, to_generation_path = ?, detail = ?
         WHERE id = ? AND outcome = 'running'`,
      )
      .run(outcome, finishedAt, Math.round(duration), toN, toP, this.text(finish.detail), id).changes;
    if (changed === 0) throw new Error(`drill ${id} already ended (${drill.outcome})`);
  }

  last(host: string, passedOnly: boolean): Drill | null {
    const row = this.db.prepare(`SELECT * FROM drills WHERE host = ? ${passedOnly ? `AND outcome = 'passed'` : ''} ${NEWEST} LIMIT 1`).get(host) as DrillRow | undefined;
    return row ? toDrill(row) : null;
  }
}
