// What the deploy flow needs from the records: kept as a small interface so the flow reads
// clearly and the SQLite ledger (core/records) satisfies it structurally.
import type { GenerationRef } from '../plan/schema.js';

export type { DeploymentOperation as Operation, DeploymentOutcome as Outcome } from '../records/types.js';
import type { DeploymentInput, DeploymentOutcome } from '../records/types.js';

/** What a deployment starts with (the records fill in its id, time, pid and machine). */
export type DeploymentStart = Omit<DeploymentInput, 'id' | 'startedAt' | 'pid' | 'machine' | 'environment' | 'kind' | 'target'> & {
  environment: string;
  target: string;
  kind: string;
};

export interface StepRecord {
  stepId: string;
  action: string;
  phase: 'apply' | 'validate' | 'rollback' | 'bookkeeping';
  status: string;
  exitCode: number | null;
  durationMs: number;
  output: string;
}

export interface HealthRecord {
  check: string;
  ok: boolean;
  detail: string;
  attempt: number;
}

export interface Ledger {
  /** Where the records are written (named when a write fails). */
  readonly file?: string;
  start(input: DeploymentStart): string;
  step(deploymentId: string, record: StepRecord): void;
  health(deploymentId: string, records: HealthRecord[]): void;
  approval(deploymentId: string, stepId: string | null, approver: string, how: 'interactive' | 'yes-flag' | 'runbook' | 'gate', what: string): void;
  finish(deploymentId: string, outcome: Exclude<DeploymentOutcome, 'running'>, extra?: { generationAfter?: GenerationRef | null; failedCheck?: string | null }): void;
}

/** Drills are recorded on their own: when the rollback path was last proven. */
export interface DrillLedger {
  startDrill(host: string, from: GenerationRef, to: GenerationRef): string;
  finishDrill(drillId: string, outcome: 'passed' | 'failed', detail: string): void;
}
