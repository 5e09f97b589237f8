// What the deployment ledger stores and returns. Every field a reader sees is already redacted.
import type { Environment, Goal, HostKind } from '../inventory/schema.js';
import type { GenerationRef } from '../plan/schema.js';
import type { StepOutcome } from '../exec/types.js';

export type { GenerationRef };

// applied-for-next-boot: a NixOS `boot` deploy, made the boot default and not validated (nothing ran it yet).
export const DEPLOYMENT_OUTCOMES = ['running', 'succeeded', 'rolled-back', 'failed', 'blocked', 'interrupted', 'refused', 'applied-for-next-boot'] as const;
export type DeploymentOutcome = (typeof DEPLOYMENT_OUTCOMES)[number];
/** How a deployment may end through finishDeployment (interrupted ones end through findInterrupted/markInterrupted). */
export type FinishOutcome = Exclude<DeploymentOutcome, 'running' | 'interrupted'>;

export const OPERATIONS = ['apply', 'rollback', 'drill'] as const;
export type DeploymentOperation = (typeof OPERATIONS)[number];

// 'bookkeeping': clawdeploy's own host files (lock, record), neither deploy nor check.
export const PHASES = ['apply', 'validate', 'rollback', 'bookkeeping'] as const;
export type StepPhase = (typeof PHASES)[number];

export const APPROVAL_HOWS = ['interactive', 'yes-flag', 'runbook', 'gate'] as const;
export type ApprovalHow = (typeof APPROVAL_HOWS)[number];

export type StepStatus = StepOutcome['status'];
export type DrillOutcome = 'running' | 'passed' | 'failed';

/** A time given by the caller: a Date or an ISO string (stored as ISO UTC). */
export type TimeInput = Date | string;

export interface DeploymentInput {
  /** Defaults to a fresh uuid. */
  id?: string;
  host: string;
  /** Null when the plan was blocked before the host's facts were known. */
  environment: Environment | null;
  target: string | null;
  kind: HostKind | null;
  operation: DeploymentOperation;
  /** Null for operations that do not read a flake (a rollback to a recorded generation). */
  flakeDir: string | null;
  flakeRev: string | null;
  dirty: boolean;
  lockHash: string | null;
  planHash: string | null;
  generationBefore: GenerationRef | null;
  /** Null when nobody approved yet (e.g. blocked before the prompt). */
  approver: string | null;
  startedAt?: TimeInput;
  /** The clawdeploy process; defaults to this one. */
  pid?: number;
  /** Defaults to os.hostname(). */
  machine?: string;
}

export interface Deployment {
  id: string;
  host: string;
  environment: Environment | null;
  target: string | null;
  kind: HostKind | null;
  operation: DeploymentOperation;
  flakeDir: string | null;
  flakeRev: string | null;
  dirty: boolean;
  lockHash: string | null;
  planHash: string | null;
  generationBefore: GenerationRef | null;
  generationAfter: GenerationRef | null;
  approver: string | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: DeploymentOutcome;
  failedCheck: string | null;
  pid: number;
  machine: string;
}
export type DeploymentSummary = Deployment;

export interface FinishInput {
  outcome: FinishOutcome;
  generationAfter?: GenerationRef | null;
  failedCheck?: string | null;
  finishedAt?: TimeInput;
}

export interface StepRecord {
  stepId: string;
  action: string;
  phase: StepPhase;
  status: StepStatus;
  exitCode: number | null;
  durationMs: number;
  /** Default: finishedAt - durationMs. */
  startedAt?: TimeInput;
  /** Default: now. */
  finishedAt?: TimeInput;
  /** Output excerpt; cut to 4 KB (the tail is kept) after redaction. */
  output: string;
  reason?: string | null;
}

export interface StoredStep extends Omit<StepRecord, 'startedAt' | 'finishedAt' | 'reason'> {
  startedAt: string;
  finishedAt: string;
  reason: string | null;
}

export interface HealthRecord {
  /** e.g. "gateway-status", "channel:telegram". */
  name: string;
  ok: boolean;
  detail: string;
  at?: TimeInput;
  /** 1-based retry count; defaults to 1. */
  attempt?: number;
}

export interface StoredHealth {
  name: string;
  ok: boolean;
  detail: string;
  at: string;
  attempt: number;
}

export interface ApprovalRecord {
  stepId?: string | null;
  approver: string;
  how: ApprovalHow;
  /** What was approved, in words: "apply plan 3f2a…", "step activate". */
  what: string;
  /** False records a denial or a declined prompt; defaults to true. */
  approved?: boolean;
  at?: TimeInput;
}

export interface StoredApproval {
  stepId: string | null;
  approver: string;
  how: ApprovalHow;
  what: string;
  approved: boolean;
  at: string;
}

export interface DeploymentDetail extends Deployment {
  steps: StoredStep[];
  health: StoredHealth[];
  approvals: StoredApproval[];
}

export interface InterruptedScan {
  /** Deployments this call found dead and marked `interrupted`. */
  interrupted: Deployment[];
  /** Running deployments whose process is alive on this machine. */
  inProgress: Deployment[];
  /** Running deployments started on another machine: their process cannot be checked from here. */
  elsewhere: Deployment[];
}

export interface DrillInput {
  id?: string;
  host: string;
  /** The deployment (operation 'drill') that carried out the drill's steps, if any. */
  deploymentId?: string | null;
  fromGeneration: GenerationRef | null;
  /** Where the drill goes, when known up front (finishDrill may set it instead). */
  toGeneration?: GenerationRef | null;
  startedAt?: TimeInput;
}

export interface DrillFinish {
  outcome: 'passed' | 'failed';
  /** Omitted: keep what startDrill recorded. */
  toGeneration?: GenerationRef | null;
  detail?: string | null;
  finishedAt?: TimeInput;
  /** Defaults to finishedAt - startedAt. */
  durationMs?: number;
}

export interface Drill {
  id: string;
  host: string;
  deploymentId: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  outcome: DrillOutcome;
  fromGeneration: GenerationRef | null;
  toGeneration: GenerationRef | null;
  detail: string | null;
}

/** Token use and cost of the model calls behind a deployment. */
export interface ModelUsage {
  transcriptId?: string | null;
  provider: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
}

/** A fleet rollout: its waves as planned, and how it ended. */
export const ROLLOUT_OUTCOMES = ['running', 'succeeded', 'stopped', 'interrupted'] as const;
export type RolloutOutcome = (typeof ROLLOUT_OUTCOMES)[number];

/**
 * One host's place in a rollout. `reverted`: it succeeded, then its wave (or the rollout) was rolled back.
 * `applied-for-next-boot`: a NixOS `boot` deploy, its new generation the boot default, not running (nor validated) until a reboot; done.
 */
export const ROLLOUT_HOST_OUTCOMES = [
  'pending',
  'running',
  'succeeded',
  'applied-for-next-boot',
  'no-change',
  'rolled-back',
  'failed',
  'blocked',
  'refused',
  'reverted',
  'skipped-unreachable',
  'not-started',
] as const;
export type RolloutHostOutcome = (typeof ROLLOUT_HOST_OUTCOMES)[number];

export interface RolloutOptions {
  parallel: number;
  canary: number;
  rollbackAll: boolean;
  skipUnreachable: boolean;
  /** The goal each host was given (`--goal`, or a fleet runbook's reviewed plans); a resume plans them with it again. Absent: the inventory's. */
  goals?: Record<string, Goal>;
}

export interface RolloutInput {
  selector: string;
  flakeDir: string;
  flakeRev: string | null;
  options: RolloutOptions;
  /** Host names per wave, canary first. */
  waves: string[][];
  approver: string | null;
  /** Selected hosts in no wave: not reachable (with --skip-unreachable), or already running this generation. */
  outside?: Array<{ host: string; outcome: 'skipped-unreachable' | 'no-change'; detail?: string }>;
}

export interface RolloutHost {
  host: string;
  wave: number;
  deploymentId: string | null;
  outcome: RolloutHostOutcome;
  before: GenerationRef | null;
  after: GenerationRef | null;
  detail: string | null;
}

/** A recorded rollout: what it started with (the hosts outside its waves are in `hosts`), and how it went. */
export interface Rollout extends Omit<RolloutInput, 'outside'> {
  id: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: RolloutOutcome;
  detail: string | null;
  pid: number;
  machine: string;
  hosts: RolloutHost[];
}
