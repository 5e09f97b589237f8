import { z } from 'zod';
import { Environment, Goal, HostKind } from '../inventory/schema.js';

export const Severity = z.enum(['block', 'warn', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Something the analysis found. `fix` says what to do; never contains a secret value. */
export const Finding = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/),
  severity: Severity,
  message: z.string(),
  fix: z.string().optional(),
  /** Flake file (relative to the flake) and 1-based line, when the finding has a source. */
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  /** A store file involved (e.g. where a secret would be rendered). */
  storePath: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const ChangeKind = z.enum(['openclaw-version', 'input', 'nixpkgs', 'source', 'config', 'closure', 'generation']);

/** One change, in plain language, with the machine-readable detail kept small. */
export const Change = z.object({
  kind: ChangeKind,
  summary: z.string(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type Change = z.infer<typeof Change>;

export const Risk = z.enum(['read', 'mutate', 'destructive']);
export type Risk = z.infer<typeof Risk>;

/** A step names an action of the typed catalog (plan/catalog.ts) and its validated arguments. */
export const Step = z.object({
  id: z.string(),
  action: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** Where it runs: the deploying machine or the target host. */
  on: z.enum(['local', 'host']),
  reason: z.string(),
  risk: Risk,
  /** The exact argv, as it will run (shown for review; built by the catalog, never by hand). */
  argv: z.array(z.string()),
});
export type Step = z.infer<typeof Step>;

export const GenerationRef = z.object({ number: z.number().int().positive(), storePath: z.string() });
export type GenerationRef = z.infer<typeof GenerationRef>;

export const Plan = z.object({
  schemaVersion: z.literal(1),
  /** Null facts mean the plan was blocked before the flake could be evaluated safely. */
  host: z.object({
    name: z.string(),
    environment: Environment.nullable(),
    target: z.string().nullable(),
    kind: HostKind.nullable(),
    profile: z.string().nullable(),
  }),
  flake: z.object({
    /** The base revision the change is measured from, and how it was chosen. */
    base: z.object({ rev: z.string().nullable(), source: z.enum(['last-deploy', 'flag', 'git-head', 'none']) }),
    /** The revision being deployed (git HEAD of the working tree) and whether the tree is dirty. */
    target: z.object({ rev: z.string().nullable(), dirty: z.boolean() }),
    /** sha256 of the working tree's flake.lock (null when there is none). */
    lockHash: z.string().nullable(),
  }),
  generations: z.object({
    current: GenerationRef.nullable(),
    /**
     * number: the generation `nix-env --set` makes: one above the highest (not the current: a
     * rollback leaves higher ones), or the highest itself when it holds this store path already.
     */
    next: z.object({ storePath: z.string(), number: z.number().int().positive() }).nullable(),
  }),
  /** Plain-language explanation, one sentence a line. */
  summary: z.array(z.string()),
  changes: z.array(Change),
  findings: z.array(Finding),
  steps: z.object({ apply: z.array(Step), validate: z.array(Step), rollback: z.array(Step) }),
  /**
   * What the deploy does with the build (NixOS); absent: switch. With `test`, `generations.next` is
   * the build that runs, never made a generation (its number is the one `switch` would give it).
   */
  goal: Goal.exclude(['switch']).optional(),
  /** The build runs in the host's store (deploy-rs's remoteBuild); absent: here, then copied. */
  buildOnTarget: z.literal(true).optional(),
  /** blocked: a blocking finding; no-change: nothing to deploy; ready: steps to review. */
  status: z.enum(['ready', 'no-change', 'blocked']),
  /** sha256 over the canonical JSON of everything above (see plan/hash.ts). */
  hash: z.string(),
});
export type Plan = z.infer<typeof Plan>;
export type UnhashedPlan = Omit<Plan, 'hash'>;
