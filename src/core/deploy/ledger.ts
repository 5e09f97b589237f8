// What the deploy flow needs from the records: kept as a small interface so the flow reads
// clearly and the SQLite ledger (core/records) satisfies it structurally.
import type { GenerationRef } from '../plan/schema.js';

export type Operation = 'apply' | 'rollback' | 'drill';
export type Outcome = 'running' | 'succeeded' | 'rolled-back' | 'failed' | 'blocked' | 'interrupted' | 'refused';

export interface DeploymentStart {
  host: string;
  environment: string;
  target: string;
  kind: string;
  operation: Operation;
  flakeDir: string | null;
  flakeRev: string | null;
  dirty: boolean;
  lockHash: string | null;
  planHash: string | null;
  generationBefore: GenerationRef | null;
  approver: string | null;
}

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
  start(input: DeploymentStart): string;
  step(deploymentId: string, record: StepRecord): void;
  health(deploymentId: string, records: HealthRecord[]): void;
  approval(deploymentId: string, stepId: string | null, approver: string, how: 'interactive' | 'yes-flag' | 'runbook' | 'gate', what: string): void;
  finish(deploymentId: string, outcome: Exclude<Outcome, 'running'>, extra?: { generationAfter?: GenerationRef | null; failedCheck?: string | null }): void;
}

/** Drills are recorded on their own: when the rollback path was last proven. */
export interface DrillLedger {
  startDrill(host: string, from: GenerationRef, to: GenerationRef): string;
  finishDrill(drillId: string, outcome: 'passed' | 'failed', detail: string): void;
}
