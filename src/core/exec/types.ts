// The contract of the tool layer: what the deploy flow hands the executor and gets back.
// The UI (CLI prompt, ink session, tests) is injected as an Approver; core never imports it.
import type { Host, Environment } from '../inventory/schema.js';
import type { Step } from '../plan/schema.js';
import type { ActionContext } from '../plan/catalog.js';
import type { Transport } from '../transport/types.js';
import type { Redactor } from '../redact/index.js';
import type { Policy } from './policy/evaluate.js';

export type Decision = 'allow' | 'ask' | 'deny';

export interface PolicyVerdict {
  decision: Decision;
  /** The id of the rule that matched (or 'default'). */
  rule: string;
  /** Why, in words fit for the user. */
  reason: string;
}

export interface ApprovalRequest {
  step: Step;
  host: Host;
  /** The exact command that will run, redacted, as shown to the person. */
  command: string;
  verdict: PolicyVerdict;
  /** Production: the person must type the host name, not just "y". */
  typeHostName: boolean;
}

export interface Approval {
  approved: boolean;
  /** Who approved: a user name, "--yes", "runbook:<hash>". */
  approver: string;
}

export type Approver = (request: ApprovalRequest) => Promise<Approval>;

/** The verdict of a validation step's output (parsed by the action's parser). */
export interface CheckResult {
  ok: boolean;
  /** One line: "gateway 2026.6.11 answers RPC", "telegram: probe failed (token file missing)". */
  summary: string;
  /** Per-item results, e.g. one per channel. */
  items?: Array<{ name: string; ok: boolean; detail: string }>;
  /** The check did not run in this attempt (a gate before it failed); not ok, not a failure of its own. */
  notRun?: boolean;
  /**
   * What failed does not recover by waiting (a channel blocked after a 401 or an unavailable
   * credential stays blocked until a restart): validation need not wait for its deadline.
   */
  final?: boolean;
  /**
   * Not ok only because a channel was still starting when probed (credentials work, nothing
   * failed): the gateway's /readyz answering 200 without naming it completes the check.
   */
  awaitsReadiness?: boolean;
}

export interface StepOutcome {
  stepId: string;
  action: string;
  status: 'ok' | 'failed' | 'refused' | 'denied' | 'declined';
  exitCode: number | null;
  durationMs: number;
  /** Redacted, bounded output. */
  stdout: string;
  stderr: string;
  /** Why it was refused, denied, declined or failed. */
  reason?: string;
  check?: CheckResult;
  /** Who approved it, when it was asked (or "policy" when policy allowed it). */
  approver?: string;
}

export interface AuditEntry {
  time: string;
  deploymentId: string | null;
  host: string;
  stepId: string;
  action: string;
  args: Record<string, unknown>;
  decision: Decision | 'refused';
  rule: string;
  /** The outcome's status and reason (refused, denied, declined, failed, ok). */
  status: StepOutcome['status'];
  reason?: string;
  environment: Environment;
  approver: string | null;
  /** The argv that ran, redacted for the log (the argv itself is never altered). */
  argv: string[];
  exitCode: number | null;
  durationMs: number;
  output: string;
  outputSha256: string;
}

export interface AuditLog {
  append(entry: AuditEntry): void;
}

export interface ExecContext {
  host: Host;
  environment: Environment;
  transport: Transport;
  actionCtx: ActionContext;
  approver: Approver;
  audit: AuditLog;
  redactor: Redactor;
  deploymentId: string | null;
  /** The policy to apply; default: loadPolicy(actionCtx.flakeDir) (defaults + clawdeploy.policy.yaml). */
  policy?: Policy;
  /** Opens a new connection for steps that must not reuse the shared one (watchdog confirm). */
  freshTransport?: () => Transport;
  /** Progress for the UI: a step started, a line of output (redacted), a step ended. */
  onEvent?: (event: ExecEvent) => void;
}

export type ExecEvent = { type: 'step-start'; step: Step; command: string } | { type: 'output'; step: Step; line: string } | { type: 'step-end'; step: Step; outcome: StepOutcome };
