// The one deploy path: interrupted-deploy check -> (resume: honour a leftover watchdog) -> plan ->
// reviewed plan still holds -> blocked / nothing to do -> production gates -> apply (lock, steps,
// validate, promote or roll back, record) -> model usage. The CLI, the chat and the ink session
// call it; a fleet rollout schedules it per host. Its events name the host they are about.
import type { Goal, Host } from '../inventory/schema.js';
import type { Plan } from '../plan/schema.js';
import type { RunbookJson } from '../plan/runbook.js';
import type { GenerationRef, ModelUsage, Records } from '../records/index.js';
import type { CheckResult } from '../exec/types.js';
import { ExitCode, UserError } from '../errors.js';
import { analyseHost } from '../pipeline/planHost.js';
import type { PlanMemo } from '../pipeline/planMemo.js';
import { loadHost, loadInventory } from '../inventory/load.js';
import { interruption, type Interruption } from './interrupted.js';
import { honourBeforeResume } from './resumeWatchdog.js';
import { applyPlan, type DeployDeps, type DeployEvent } from './apply.js';
import { checkGates, type GateFacts, type GateResult } from './gates.js';
import { staleness, verifyRunbook } from './runbookCheck.js';

export interface ServiceDeps {
  records: Records;
  deploy: DeployDeps;
  gates: GateFacts;
}

/** Everything the service says, with the host it is about (a rollout runs many at once). */
export type HostEvent = { host: string } &
  /** The plan that will be applied, once a runbook or proposal has been held to the analysis. */
  ({ type: 'plan'; plan: Plan } | { type: 'notice'; text: string; tone: 'info' | 'warn' } | { type: 'gates'; gates: GateResult[] } | { type: 'deploy'; event: DeployEvent });

export interface OpenRequest {
  flakeDir: string;
  hostName: string;
  redact: (text: string) => string;
  /** An interrupted deploy is being resumed (`apply --resume`, `/resume`). */
  resume?: boolean;
  /** An interrupted deploy refuses at once (the CLI), or is returned for the caller to say (the ink session). */
  refuseInterrupted?: boolean;
  /** How the caller's user resumes, for the interrupted message ("/resume" in the ink session). */
  resumeHint?: string;
  /** A rollout's shared planning work (pipeline/planMemo.ts). */
  memo?: PlanMemo;
  /** --goal (default: the inventory's, else switch). */
  goal?: Goal;
  /** --build-on-target (default: the inventory's). */
  buildOnTarget?: boolean;
}

export interface OpenedDeploy {
  plan: Plan;
  /** Null when the inventory entry could not be resolved (the plan is then blocked). */
  host: Host | null;
  interrupted: Interruption | null;
}

/** Plans a host for deploying: a deploy in progress refuses; a resumed one waits for its watchdog first. */
export async function openDeploy(req: OpenRequest, deps: ServiceDeps, on: (e: HostEvent) => void = () => undefined): Promise<OpenedDeploy> {
  const name = req.hostName;
  const interrupted = interruption(deps.records, name, req.resumeHint);
  if (interrupted?.running) throw new UserError(interrupted.message);
  if (interrupted && req.refuseInterrupted && !req.resume) throw new UserError(interrupted.message);
  // A watchdog still armed returns the host on its own: planned first, the unconfirmed generation
  // would pass for the current one ("nothing to deploy") until the host reverts.
  if (req.resume) {
    const say = (text: string) => on({ host: name, type: 'notice', text, tone: 'warn' });
    await honourBeforeResume(await loadHost(req.flakeDir, name), req.flakeDir, deps.deploy, say);
  }
  const { plan, host } = await analyseHost({
    flakeDir: req.flakeDir,
    hostName: name,
    sshConfig: deps.deploy.sshConfig,
    ...(deps.deploy.connections ? { connections: deps.deploy.connections } : {}),
    redact: req.redact,
    lastDeployedRev: deps.records.lastDeployedRev(name),
    ...(req.memo ? { memo: req.memo } : {}),
    ...(req.goal ? { goal: req.goal } : {}),
    ...(req.buildOnTarget !== undefined ? { buildOnTarget: req.buildOnTarget } : {}),
  });
  return { plan, host, interrupted };
}

export interface DeployRequest {
  flakeDir: string;
  /** Who approved: a person, "--yes", or the runbook's hash. */
  approvedBy: string;
  /** --yes: steps are pre-approved, which production never accepts without a reviewed runbook. */
  preApproved?: boolean;
  resume?: boolean;
  /** A reviewed runbook: applied only if it is still what would be planned now. */
  runbook?: { file: string; json: RunbookJson };
  /** A model's proposal that passed validation; applied only if its analysis still holds. */
  proposed?: Plan;
  /** The conversation's token use, stored with the deployment. */
  usage?: ModelUsage;
}

export interface DeployOutcome {
  host: string;
  plan: Plan;
  outcome: 'succeeded' | 'rolled-back' | 'failed' | 'blocked' | 'refused' | 'no-change';
  exitCode: ExitCode;
  message: string;
  deploymentId: string | null;
  /**
   * The generation the host's profile is on after the deploy, as the host has it: the number
   * nix-env made, read back after the switch (it can differ from the plan's `generations.next`),
   * and its store path; the current one when nothing changed or it was rolled back; null when it
   * is not known, or none was made (goal `test`).
   */
  generationAfter: GenerationRef | null;
  health?: CheckResult[];
  gates?: GateResult[];
}

/** Deploys an opened plan: the reviewed plan must still hold, then the gates, then apply. */
export async function deployOpened(opened: OpenedDeploy, req: DeployRequest, deps: ServiceDeps, on: (e: HostEvent) => void = () => undefined): Promise<DeployOutcome> {
  const name = opened.plan.host.name;
  const { host } = opened;
  let { plan } = opened;
  const end = (outcome: DeployOutcome['outcome'], exitCode: ExitCode, message: string, extra: Partial<DeployOutcome> = {}): DeployOutcome => ({
    host: name,
    plan,
    outcome,
    exitCode,
    message,
    deploymentId: null,
    // Nothing ran on the host (refused, blocked, nothing to deploy): it is where it was.
    generationAfter: plan.generations.current,
    ...extra,
  });

  if (opened.interrupted && !req.resume) return end('refused', ExitCode.badInput, opened.interrupted.message);
  if (req.runbook) {
    const problems = [...(host ? verifyRunbook(req.runbook.json, host) : []), ...staleness(req.runbook.json.plan, plan)];
    if (problems.length) throw new UserError(`--runbook ${req.runbook.file}: refused: ${problems.join('; ')}`, ExitCode.blocked);
  } else if (req.proposed) {
    const moved = staleness({ ...req.proposed, steps: plan.steps, hash: plan.hash }, plan);
    if (moved.length) throw new UserError(`the proposed plan is out of date: ${moved.join('; ')}; propose again`);
    plan = req.proposed;
  }
  // The plan that goes ahead (a proposal's, when it still holds), before anything asks.
  on({ host: name, type: 'plan', plan });
  if (plan.status === 'blocked' || !host) {
    // A blocked attempt is part of the host's history.
    const id = await deps.deploy.ledger.start({
      host: name,
      environment: host?.environment ?? 'staging',
      target: host?.target ?? '',
      kind: host?.kind ?? '',
      operation: 'apply',
      flakeDir: req.flakeDir,
      flakeRev: plan.flake.target.rev,
      dirty: plan.flake.target.dirty,
      lockHash: plan.flake.lockHash,
      planHash: plan.hash,
      generationBefore: plan.generations.current,
      approver: null,
    });
    await deps.deploy.ledger.finish(id, 'blocked', { failedCheck: plan.findings.find((f) => f.severity === 'block')?.message ?? 'blocked' });
    return end('blocked', ExitCode.blocked, 'blocked: nothing was changed; fix the blocking findings and plan again', { deploymentId: id });
  }
  if (plan.goal === 'dry-activate' && plan.status === 'ready') {
    // Planning did all of it (build, copy, dry-activate): its answer is in the plan shown above.
    const units = plan.changes.find((c) => c.summary.startsWith('dry-activate: '))?.summary.slice('dry-activate: '.length);
    return end('no-change', ExitCode.ok, `dry-activate: nothing was changed on ${name}${units ? `; ${units}` : ''}`);
  }
  if (plan.status === 'no-change') {
    // What runs is what the flake builds, but the profile points elsewhere: only a rollback puts it back.
    if (plan.findings.some((f) => f.code === 'half-switched'))
      on({
        host: name,
        type: 'notice',
        tone: 'warn',
        text: `${name} already runs this generation, but its profile does not point at it: \`clawdeploy rollback ${name} --to ${plan.generations.current?.number ?? '?'}\` puts the profile back`,
      });
    return end('no-change', ExitCode.ok, `nothing to deploy: ${name} already runs this generation`);
  }
  if (host.environment === 'production') {
    if (req.preApproved && !req.runbook) throw new UserError('--yes pre-approves staging hosts only: production needs an interactive approval (type the host name) or a reviewed runbook');
    const gates = checkGates(plan, host, (await loadInventory(req.flakeDir)).hosts, deps.gates);
    on({ host: name, type: 'gates', gates });
    if (gates.some((g) => !g.ok)) {
      const why = gates.filter((g) => !g.ok).map((g) => `${g.gate}: ${g.message}${g.fix ? ` (${g.fix})` : ''}`);
      return end('blocked', ExitCode.blocked, `promotion refused, nothing was changed: ${why.join('; ')}`, { gates });
    }
  }
  // Step events carry the host too; the caller's own sink (progress lines, the ink reducer) gets them through `on`.
  const deploy: DeployDeps = { ...deps.deploy, onEvent: (event) => on({ host: name, type: 'deploy', event }) };
  const r = await applyPlan({ plan, host, flakeDir: req.flakeDir, approvedBy: req.approvedBy }, deploy);
  const outcome = end(r.outcome, r.exitCode, r.message, { deploymentId: r.deploymentId, generationAfter: r.generationAfter ?? null, ...(r.health ? { health: r.health } : {}) });
  if (req.usage && r.deploymentId) {
    // After the deploy, and never in its way: a lost usage record is said, not thrown.
    try {
      deps.records.recordUsage(r.deploymentId, req.usage);
    } catch (e) {
      on({ host: name, type: 'notice', tone: 'warn', text: `the model usage could not be recorded in ${deps.records.path}: ${e instanceof Error ? e.message : String(e)}` });
      if (outcome.exitCode === ExitCode.ok) outcome.exitCode = ExitCode.failed;
    }
  }
  return outcome;
}

/** Plans and deploys one host in one go (the CLI's `apply`, the chat's `/apply`, a rollout's host). */
export async function deployHost(req: OpenRequest & DeployRequest, deps: ServiceDeps, on: (e: HostEvent) => void = () => undefined): Promise<DeployOutcome> {
  return deployOpened(await openDeploy({ ...req, refuseInterrupted: req.refuseInterrupted ?? true }, deps, on), req, deps, on);
}
