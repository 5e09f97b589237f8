import { parseDeadline } from '../deadline.js';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { deployHost } from '../../core/deploy/service.js';
import { readRunbookFile } from '../../core/deploy/runbookFile.js';
import type { Plan } from '../../core/plan/schema.js';
import type { ModelUsage } from '../../core/records/index.js';
import { screenRedactor } from '../redactor.js';
import { openCliDeps } from '../deps.js';
import { printHostEvents } from '../hostEvents.js';
import { out, err } from '../output.js';
import { parseGoal } from '../goalFlag.js';

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
  /** --goal (NixOS): switch, test, boot or dry-activate. */
  goal?: string;
  /** --build-on-target: build in the host's store, copy no closure from here. */
  buildOnTarget?: boolean;
}

export async function applyCommand(hostName: string | undefined, opts: ApplyCommandOptions): Promise<void> {
  const redactor = screenRedactor();
  const runbook = opts.runbook ? readRunbookFile(opts.runbook) : null;
  const flakeDir = runbook ? runbook.flakeDir : resolve(opts.flake);
  const name = hostName ?? runbook?.plan.host.name;
  if (!name) throw new UserError('apply: name a HOST, or give --runbook FILE.json');
  if (runbook && hostName && hostName !== runbook.plan.host.name) throw new UserError(`--runbook ${opts.runbook}: it is for host '${runbook.plan.host.name}', not '${hostName}'`);
  const deadlineSec = parseDeadline(opts.deadline);
  const flagGoal = parseGoal(opts.goal);
  // A runbook is planned again with the goal it was reviewed with.
  const reviewedGoal = runbook ? (runbook.plan.goal ?? 'switch') : undefined;
  if (flagGoal && reviewedGoal && flagGoal !== reviewedGoal) throw new UserError(`--goal ${flagGoal}: the runbook ${opts.runbook} was made with goal ${reviewedGoal}`);
  const goal = reviewedGoal ?? flagGoal;
  // Where the build runs is part of the reviewed plan too.
  if (runbook && opts.buildOnTarget && !runbook.plan.buildOnTarget) throw new UserError(`--build-on-target: the runbook ${opts.runbook} builds here`);
  const buildOnTarget = runbook ? Boolean(runbook.plan.buildOnTarget) : opts.buildOnTarget ? true : undefined;

  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: Boolean(opts.yes), runbookHash: runbook?.plan.hash }, deadlineSec });
  try {
    const r = await deployHost(
      {
        flakeDir,
        hostName: name,
        redact: (s) => redactor.redact(s),
        resume: Boolean(opts.resume),
        approvedBy: runbook ? `runbook ${runbook.plan.hash.slice(0, 19)}` : opts.yes ? '--yes' : (process.env['USER'] ?? 'operator'),
        preApproved: Boolean(opts.yes),
        ...(goal ? { goal } : {}),
        ...(buildOnTarget !== undefined ? { buildOnTarget } : {}),
        ...(runbook && opts.runbook ? { runbook: { file: opts.runbook, json: runbook } } : {}),
        ...(opts.proposed ? { proposed: opts.proposed } : {}),
        ...(opts.usage ? { usage: opts.usage } : {}),
      },
      deps,
      printHostEvents(deps, { showPlan: !runbook }),
    );
    // Blocked before anything ran is an error; every other outcome is the deploy's result.
    if (r.outcome === 'blocked') err(r.message);
    else out(r.message);
    if (r.health) for (const h of r.health) out(`  ${h.ok ? 'ok  ' : 'FAIL'} ${h.summary}`);
    process.exitCode = r.exitCode;
  } finally {
    deps.close();
  }
}
