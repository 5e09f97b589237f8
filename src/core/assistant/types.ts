// What the assistant works with: compact, redacted facts (never whole files or logs), and the
// proposal a model may return, which is only ever a list of catalog actions.
import type { Plan } from '../plan/schema.js';

/** The facts a prompt is rendered from: small, redacted, sourced. */
export interface PlanFacts {
  host: { name: string; environment: string | null; kind: string | null; target: string | null; profile: string | null };
  status: Plan['status'];
  summary: string[];
  changes: Array<{ kind: string; summary: string }>;
  findings: Array<{ severity: string; code: string; message: string; fix?: string }>;
  generations: { current: string | null; next: string | null };
  /** The candidate steps, as catalog actions with their arguments and the exact commands. */
  steps: Record<'apply' | 'validate' | 'rollback', Array<{ id: string; action: string; args: Record<string, unknown>; command: string; risk: string }>>;
}

/** Text from a host, a log or a config: data for the model, never instructions. */
export interface UntrustedData {
  source: string;
  text: string;
}
