// What the deploy flow needs from the records: kept as a small interface so the flow reads
// clearly. Every write returns a Promise, as the rollout's RolloutLedger does: the flow never
// depends on SQLite's synchronous API, so a shared database can take its place later. The SQLite
// records are adapted to it in recordsLedger.ts.
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
  /** Resolves to the new deployment's id. */
  start(input: DeploymentStart): Promise<string>;
  step(deploymentId: string, record: StepRecord): Promise<void>;
  health(deploymentId: string, records: HealthRecord[]): Promise<void>;
  approval(deploymentId: string, stepId: string | null, approver: string, how: 'interactive' | 'yes-flag' | 'runbook' | 'gate', what: string): Promise<void>;
  finish(deploymentId: string, outcome: Exclude<DeploymentOutcome, 'running'>, extra?: { generationAfter?: GenerationRef | null; failedCheck?: string | null }): Promise<void>;
}

/** Drills are recorded on their own: when the rollback path was last proven. */
export interface DrillLedger {
  /** Resolves to the new drill's id. */
  startDrill(host: string, from: GenerationRef, to: GenerationRef): Promise<string>;
  finishDrill(drillId: string, outcome: 'passed' | 'failed', detail: string): Promise<void>;
}
