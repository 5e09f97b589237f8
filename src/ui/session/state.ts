// What the screen shows, as one plain object: the session code writes it, components read it.
import type { Plan } from '../../core/plan/schema.js';
import type { ApprovalRequest, CheckResult } from '../../core/exec/types.js';
import type { RollbackProposal } from '../../core/deploy/rollback.js';

export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export type Panel = 'plan' | 'diff' | 'steps' | 'output' | 'health' | 'generations';
export type Mode = 'picker' | 'planning' | 'plan' | 'applying' | 'done' | 'error';

export interface StepRow {
  id: string;
  action: string;
  label: string;
  risk: string;
  phase: 'apply' | 'validate' | 'rollback';
  state: StepState;
  ms?: number;
  note?: string;
}

export interface HostRow {
  name: string;
  environment: string;
  target: string;
  /** null: still being read ("…"). */
  generation: string | null;
  health: string | null;
  drift: string | null;
}

export interface HealthRow {
  check: string;
  result: CheckResult;
}

export interface Confirm {
  req: ApprovalRequest;
  answer: (approved: boolean) => void;
}

export interface Banner {
  text: string;
  tone: 'ok' | 'bad' | 'warn' | 'info';
}

export interface UiState {
  mode: Mode;
  incident: boolean;
  host: string | null;
  environment: string | null;
  hosts: HostRow[];
  selected: number;
  plan: Plan | null;
  explanation: string;
  panel: Panel;
  scroll: number;
  steps: StepRow[];
  running: { label: string; startedAt: number; lastLine: string } | null;
  phase: string | null;
  banners: Banner[];
  output: string[];
  health: HealthRow[] | null;
  proposal: RollbackProposal | null;
  confirm: Confirm | null;
  /** Ctrl-C during a deploy: the stop / roll back / continue question is open. */
  interrupt: boolean;
  /** Chosen on Ctrl-C: the approver declines every next step. */
  stop: 'stop' | 'rollback' | null;
  answer: string;
  asking: boolean;
  notice: string | null;
  result: { ok: boolean; message: string } | null;
  quitWhenDone: boolean;
  exitCode: number;
}

export function initialState(o: Partial<UiState> = {}): UiState {
  return {
    mode: 'picker',
    incident: false,
    host: null,
    environment: null,
    hosts: [],
    selected: 0,
    plan: null,
    explanation: '',
    panel: 'plan',
    scroll: 0,
    steps: [],
    running: null,
    phase: null,
    banners: [],
    output: [],
    health: null,
    proposal: null,
    confirm: null,
    interrupt: false,
    stop: null,
    answer: '',
    asking: false,
    notice: null,
    result: null,
    quitWhenDone: false,
    exitCode: 0,
    ...o,
  };
}
