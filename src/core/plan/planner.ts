// The deterministic planner: analysis in, Plan out. Pure, so the same analysis always gives
// byte-identical JSON and the same hash. It is the offline default and the reference that
// any model's proposal is checked against.
import type { Goal, Host } from '../inventory/schema.js';
import { Plan, type Change, type Finding, type GenerationRef, type UnhashedPlan } from './schema.js';
import { buildSteps } from './steps.js';
import { planHash } from './hash.js';
import { explain } from './explain.js';
import type { ActionContext } from './catalog.js';
import { nextGenerationNumber, type NewestGeneration } from './nextGeneration.js';

export interface Analysis {
  host: Host;
  ctx: ActionContext;
  flake: UnhashedPlan['flake'];
  current: GenerationRef | null;
  /** The host as its current generation configures the gateway (the rollback's checks); default host. */
  currentHost?: Host;
  nextStorePath: string | null;
  /** The profile's highest-numbered generation (null: none; default: the current one). */
  newest?: NewestGeneration | null;
  changes: Change[];
  findings: Finding[];
  /** What the deploy does with the build (default switch). */
  goal?: Goal;
  /** The build runs in the host's store (an ssh host), not here. */
  buildOnTarget?: boolean;
}

const SEVERITY_ORDER = { block: 0, warn: 1, info: 2 } as const;

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.message.localeCompare(b.message),
  );
}

/** What `nix-env --set` will number the new generation (see nextGeneration.ts). */
function nextNumber(a: Analysis, storePath: string): number {
  return nextGenerationNumber(a.newest !== undefined ? a.newest : a.current, storePath);
}

export function makePlan(a: Analysis): Plan {
  const findings = sortFindings(a.findings);
  const goal = a.goal ?? 'switch';
  const onTarget = Boolean(a.buildOnTarget && a.ctx.storeUrl);
  const blocked = findings.some((f) => f.severity === 'block');
  const unchanged = !blocked && a.nextStorePath !== null && a.nextStorePath === a.current?.storePath;
  // A blocked plan carries no apply steps: nothing can run until the finding is fixed.
  const steps = blocked
    ? { apply: [], validate: [], rollback: [] }
    : buildSteps({
        host: a.host,
        ctx: a.ctx,
        current: a.current,
        currentHost: a.currentHost,
        nextStorePath: a.nextStorePath,
        ...(a.nextStorePath ? { nextNumber: nextNumber(a, a.nextStorePath) } : {}),
        goal,
        buildOnTarget: onTarget,
      });
  const status = blocked ? 'blocked' : unchanged ? 'no-change' : 'ready';
  const unhashed: UnhashedPlan = {
    schemaVersion: 1,
    host: { name: a.host.name, environment: a.host.environment, target: a.host.target, kind: a.host.kind, profile: a.host.profile },
    flake: a.flake,
    generations: { current: a.current, next: a.nextStorePath ? { storePath: a.nextStorePath, number: nextNumber(a, a.nextStorePath) } : null },
    summary: [],
    changes: a.changes,
    findings,
    steps,
    // Absent for switch: plans made before goals existed keep their hash.
    ...(goal !== 'switch' ? { goal } : {}),
    ...(onTarget ? { buildOnTarget: true as const } : {}),
    status,
  };
  unhashed.summary = explain(unhashed, a.host);
  return Plan.parse({ ...unhashed, hash: planHash(unhashed) });
}

/**
 * A plan blocked before Nix may touch the flake (a live secret in its sources): evaluating
 * the flake would copy the secret into the world-readable store, so the host's facts stay unknown.
 */
export function makeBlockedPlan(hostName: string, flake: UnhashedPlan['flake'], findings: Finding[]): Plan {
  const sorted = sortFindings(findings);
  const blocks = sorted.filter((f) => f.severity === 'block');
  const unhashed: UnhashedPlan = {
    schemaVersion: 1,
    host: { name: hostName, environment: null, target: null, kind: null, profile: null },
    flake,
    generations: { current: null, next: null },
    summary: [
      `Blocked before evaluation: ${blocks.length} live secret${blocks.length === 1 ? '' : 's'} in the flake sources. Evaluating or building the flake would copy ${blocks.length === 1 ? 'it' : 'them'} into the world-readable Nix store, so clawdeploy stopped before running Nix.`,
      ...blocks.map((f) => `- ${f.message}`),
      'Move each secret to agenix or sops-nix and reference it by path (env or file SecretRef), then rotate it; each finding says whether git history holds it.',
    ],
    changes: [],
    findings: sorted,
    steps: { apply: [], validate: [], rollback: [] },
    status: 'blocked',
  };
  return Plan.parse({ ...unhashed, hash: planHash(unhashed) });
}
