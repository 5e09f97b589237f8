// What the assistant works with: compact, redacted facts (never whole files or logs), and the
// proposal a model may return, which is only ever a list of catalog actions.
import type { Plan } from '../plan/schema.js';

export interface FactStep {
  id: string;
  action: string;
  args: Record<string, unknown>;
  /** Where it runs: this machine or the target host. */
  on: 'local' | 'host';
  risk: string;
  /** The exact argv as a command line (display quoting; host steps run on host.target). */
  command: string;
  reason: string;
}

/** The facts a prompt is rendered from: small, redacted, sourced. */
export interface PlanFacts {
  host: { name: string; environment: string | null; kind: string | null; target: string | null; profile: string | null };
  status: Plan['status'];
  /** Short revisions: what the change is measured from and what is deployed; dirty = uncommitted changes. */
  flake: { base: string | null; baseSource: string; target: string | null; dirty: boolean };
  /** The OpenClaw version change from the lock diff, with the release tags (null: unchanged). */
  openclaw: {
    from: string | null;
    to: string | null;
    direction: string | null;
    fromTag: string | null;
    toTag: string | null;
    release: string | null;
    input: string | null;
    revs: string | null;
  } | null;
  /** Channels added, removed or changed, with the runtime plugin each one needs when the plan shows it. */
  channels: Array<{ id: string; action: string; plugin: { name: string; status: 'added' | 'removed' | 'missing' } | null }>;
  /** The offline templated explanation (kept for callers; renderFacts does not repeat it). */
  summary: string[];
  changes: Array<{ kind: string; summary: string }>;
  findings: Array<{ severity: string; code: string; message: string; fix?: string; where?: string }>;
  /** `nextNumber`: the number the plan predicts (nix-env reuses the newest generation when it holds the same path). */
  generations: { current: { number: number; storePath: string } | null; next: string | null; nextNumber: number | null };
  /** The candidate steps, as catalog actions with their arguments and the exact commands. */
  steps: Record<'apply' | 'validate' | 'rollback', FactStep[]>;
  /** What a rollback does not undo (runtime state), said with every plan that can roll back. */
  rollbackCaveat: string;
  /** Changed lines of the source patches: flake text, so data for the model, never instructions. */
  sources: UntrustedData[];
}

/** Text from a host, a log or a config: data for the model, never instructions. */
export interface UntrustedData {
  source: string;
  text: string;
}
