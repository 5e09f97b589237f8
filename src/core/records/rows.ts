// Row shapes as SQLite returns them, and their mapping to the public types.
import type { Environment, HostKind } from '../inventory/schema.js';
import type {
  ApprovalHow,
  Deployment,
  DeploymentOperation,
  DeploymentOutcome,
  Drill,
  DrillOutcome,
  GenerationRef,
  StepPhase,
  StepStatus,
  StoredApproval,
  StoredHealth,
  StoredStep,
  TimeInput,
} from './types.js';

export interface DeploymentRow {
  id: string;
  host: string;
  environment: string | null;
  target: string | null;
  kind: string | null;
  operation: string;
  flake_dir: string | null;
  flake_rev: string | null;
  dirty: number;
  lock_hash: string | null;
  plan_hash: string | null;
  generation_before_number: number | null;
  generation_before_path: string | null;
  generation_after_number: number | null;
  generation_after_path: string | null;
  approver: string | null;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  failed_check: string | null;
  pid: number;
  pid_started: string | null;
  machine: string;
}

export interface StepRow {
  step_id: string;
  action: string;
  phase: string;
  status: string;
  exit_code: number | null;
  duration_ms: number;
  started_at: string;
  finished_at: string;
  reason: string | null;
  output: string;
}
export interface HealthRow {
  check_name: string;
  ok: number;
  detail: string;
  checked_at: string;
  attempt: number;
}
export interface ApprovalRow {
  step_id: string | null;
  approver: string;
  how: string;
  what: string;
  approved: number;
  approved_at: string;
}
export interface DrillRow {
  id: string;
  host: string;
  deployment_id: string | null;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  outcome: string;
  from_generation_number: number | null;
  from_generation_path: string | null;
  to_generation_number: number | null;
  to_generation_path: string | null;
  detail: string | null;
}

/** Newest first; rowid breaks ties between rows started in the same millisecond. */
export const NEWEST = 'ORDER BY started_at DESC, rowid DESC';

/** Enumerated columns have no CHECK (see migrations.ts), so values are checked here. */
export function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`invalid ${what} "${value}" (expected ${allowed.join(', ')})`);
  return value as T;
}

export function generation(number: number | null, storePath: string | null): GenerationRef | null {
  return number === null || storePath === null ? null : { number, storePath };
}

/** The two columns a generation is stored in. */
export function generationColumns(g: GenerationRef | null | undefined): [number | null, string | null] {
  if (!g) return [null, null];
  if (!Number.isInteger(g.number) || g.number <= 0) throw new Error(`invalid generation number ${g.number}`);
  return [g.number, g.storePath];
}

export function isoTime(t: TimeInput | undefined): string {
  const d = t === undefined ? new Date() : new Date(t);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid time ${String(t)}`);
  return d.toISOString();
}

export function toDeployment(r: DeploymentRow): Deployment {
  return {
    id: r.id,
    host: r.host,
    environment: r.environment as Environment | null,
    target: r.target,
    kind: r.kind as HostKind | null,
    operation: r.operation as DeploymentOperation,
    flakeDir: r.flake_dir,
    flakeRev: r.flake_rev,
    dirty: r.dirty !== 0,
    lockHash: r.lock_hash,
    planHash: r.plan_hash,
    generationBefore: generation(r.generation_before_number, r.generation_before_path),
    generationAfter: generation(r.generation_after_number, r.generation_after_path),
    approver: r.approver,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome as DeploymentOutcome,
    failedCheck: r.failed_check,
    pid: r.pid,
    machine: r.machine,
  };
}

export function toStep(r: StepRow): StoredStep {
  return {
    stepId: r.step_id,
    action: r.action,
    phase: r.phase as StepPhase,
    status: r.status as StepStatus,
    exitCode: r.exit_code,
    durationMs: r.duration_ms,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    reason: r.reason,
    output: r.output,
  };
}

export function toHealth(r: HealthRow): StoredHealth {
  return { name: r.check_name, ok: r.ok !== 0, detail: r.detail, at: r.checked_at, attempt: r.attempt };
}

export function toApproval(r: ApprovalRow): StoredApproval {
  return { stepId: r.step_id, approver: r.approver, how: r.how as ApprovalHow, what: r.what, approved: r.approved !== 0, at: r.approved_at };
}

export function toDrill(r: DrillRow): Drill {
  return {
    id: r.id,
    host: r.host,
    deploymentId: r.deployment_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    outcome: r.outcome as DrillOutcome,
    fromGeneration: generation(r.from_generation_number, r.from_generation_path),
    toGeneration: generation(r.to_generation_number, r.to_generation_path),
    detail: r.detail,
  };
}
