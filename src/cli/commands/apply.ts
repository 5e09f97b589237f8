import { refuseIfInterrupted } from '../interrupted.js';
import { parseDeadline } from '../deadline.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { analyseHost } from '../../core/pipeline/planHost.js';
import { loadHost, loadInventory } from '../../core/inventory/load.js';
import { honourBeforeResume } from '../../core/deploy/resumeWatchdog.js';
import { applyPlan } from '../../core/deploy/apply.js';
import { checkGates } from '../../core/deploy/gates.js';
import { parseRunbook, staleness, verifyRunbook } from '../../core/deploy/runbookCheck.js';
import { renderPlanText } from '../render/planText.js';
import type { Plan } from '../../core/plan/schema.js';
import type { ModelUsage } from '../../core/records/index.js';
import { screenRedactor } from '../redactor.js';
import { openCliDeps } from '../deps.js';
import { out, err } from '../output.js';

export interface ApplyCommandOptions {
  flake: string;
  yes?: boolean;
  runbook?: string;
  resume?: boolean;
  deadline?: string;
  sshConfig?: string;
  /** From chat: a model's proposal that passed validation; applied if the host has not moved. */
  proposed?: Plan;
  /** From chat: the conversation's token use, stored with the deployment. */
  usage?: ModelUsage;
}

export async function applyCommand(hostName: string | undefined, opts: ApplyCommandOptions): Promise<void> {
  const redactor = screenRedactor();
  const runbook = opts.runbook ? parseRunbook(readFileSync(resolve(opts.runbook), 'utf8'), opts.runbook) : null;
  const flakeDir = runbook ? runbook.flakeDir : resolve(opts.flake);
  const name = hostName ?? runbook?.plan.host.name;
  if (!name) throw new UserError('apply: name a HOST, or give --runbook FILE.json');
  if (runbook && hostName && hostName !== runbook.plan.host.name) throw new UserError(`--runbook ${opts.runbook}: it is for host '${runbook.plan.host.name}', not '${hostName}'`);
  const deadlineSec = parseDeadline(opts.deadline);

  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: Boolean(opts.yes), runbookHash: runbook?.plan.hash }, deadlineSec });
  try {
    // A deploy killed mid-way is said first: resume (plan again and apply) or roll back.
    refuseIfInterrupted(deps.records, name, Boolean(opts.resume));
    // Its watchdog, if still armed, returns the host on its own: planned first, the unconfirmed
    // generation would pass for the current one ("nothing to deploy") until the host reverts.
    if (opts.resume) await honourBeforeResume(await loadHost(flakeDir, name), flakeDir, deps.deploy, (m) => err(`clawdeploy: ${m}`));

    let { plan, host } = await analyseHost({ flakeDir, hostName: name, sshConfig: opts.sshConfig, redact: (s) => redactor.redact(s), lastDeployedRev: deps.records.lastDeployedRev(name) });
    if (runbook) {
      const problems = [...(host ? verifyRunbook(runbook, host) : []), ...staleness(runbook.plan, plan)];
      if (problems.length) throw new UserError(`--runbook ${opts.runbook}: refused: ${problems.join('; ')}`);
    } else if (opts.proposed) {
      // The validated proposal was made from an analysis; it stands only if that analysis still holds.
      const moved = staleness({ ...opts.proposed, steps: plan.steps, hash: plan.hash }, plan);
      if (moved.length) throw new UserError(`the proposed plan is out of date: ${moved.join('; ')}; propose again`);
      plan = opts.proposed;
      out(renderPlanText(plan));
    } else {
      out(renderPlanText(plan));
    }
    if (plan.status === 'blocked' || !host) {
      const id = deps.deploy.ledger.start({
        host: name,
        environment: host?.environment ?? 'staging',
        target: host?.target ?? '',
        kind: host?.kind ?? '',
        operation: 'apply',
        flakeDir,
        flakeRev: plan.flake.target.rev,
        dirty: plan.flake.target.dirty,
        lockHash: plan.flake.lockHash,
        planHash: plan.hash,
        generationBefore: plan.generations.current,
        approver: null,
      });
      deps.deploy.ledger.finish(id, 'blocked', { failedCheck: plan.findings.find((f) => f.severity === 'block')?.message ?? 'blocked' });
      err('blocked: nothing was changed; fix the blocking findings and plan again');
      process.exitCode = ExitCode.blocked;
      return;
    }
    if (plan.status === 'no-change') {
      const half = plan.findings.find((f) => f.code === 'half-switched');
      // What runs is what the flake builds, but the profile points elsewhere: only a rollback puts it back.
      if (half)
        err(
          `clawdeploy: ${name} already runs this generation, but its profile does not point at it: \`clawdeploy rollback ${name} --to ${plan.generations.current?.number ?? '?'}\` puts the profile back`,
        );
      out(`nothing to deploy: ${name} already runs this generation`);
      return;
    }
    if (host.environment === 'production') {
      if (opts.yes && !runbook) throw new UserError('--yes pre-approves staging hosts only: production needs an interactive approval (type the host name) or a reviewed runbook');
      const inventory = (await loadInventory(flakeDir)).hosts;
      const gates = checkGates(plan, host, inventory, deps.gates);
      for (const g of gates) err(`gate ${g.ok ? 'ok  ' : 'FAIL'} ${g.gate}: ${g.message}${g.fix ? ` (${g.fix})` : ''}`);
      if (gates.some((g) => !g.ok)) {
        err('promotion refused: nothing was changed');
        process.exitCode = ExitCode.blocked;
        return;
      }
    }
    const approvedBy = runbook ? `runbook ${plan.hash.slice(0, 19)}` : opts.yes ? '--yes' : (process.env['USER'] ?? 'operator');
    const r = await applyPlan({ plan, host, flakeDir, approvedBy }, deps.deploy);
    out(r.message);
    if (r.health) for (const h of r.health) out(`  ${h.ok ? 'ok  ' : 'FAIL'} ${h.summary}`);
    process.exitCode = r.exitCode;
    if (opts.usage && r.deploymentId) {
      // After the deploy, and never in its way: a lost usage record is said, not thrown.
      try {
        deps.records.recordUsage(r.deploymentId, opts.usage);
      } catch (e) {
        err(`clawdeploy: the model usage could not be recorded in ${deps.records.path}: ${e instanceof Error ? e.message : String(e)}`);
        if (r.exitCode === ExitCode.ok) process.exitCode = ExitCode.failed;
      }
    }
  } finally {
    deps.close();
  }
}
