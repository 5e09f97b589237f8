// `clawdeploy apply --on SELECTOR`: a health-gated rollout over the selected hosts (see
// core/fleet/rollout.ts), or `--resume ROLLOUT` to continue one that stopped or was interrupted.
import { resolve } from 'node:path';
import { ExitCode, UserError } from '../../core/errors.js';
import { parseFleetRunbook } from '../../core/fleet/fleetRunbook.js';
import { readUserFile } from '../../core/fileProblem.js';
import { loadInventory } from '../../core/inventory/load.js';
import { selectHosts } from '../../core/fleet/select.js';
import { assertFleetGoal } from '../../core/fleet/goal.js';
import { runRollout } from '../../core/fleet/rollout.js';
import { rolloutLedgerFor } from '../../core/fleet/rolloutLedger.js';
import { parseDeadline } from '../deadline.js';
import { openCliDeps } from '../deps.js';
import { screenRedactor } from '../redactor.js';
import { fleetCount } from '../fleetFlags.js';
import { parseGoal } from '../goalFlag.js';
import { cliWaveApprover } from '../waveApprover.js';
import { printRolloutEvents, renderRollout, rolloutJson } from '../rolloutPrinter.js';
import { out } from '../output.js';

export interface FleetApplyOptions {
  flake: string;
  on?: string;
  parallel?: string;
  canary?: string;
  rollbackAll?: boolean;
  skipUnreachable?: boolean;
  /** A rollout id (or its first 8 characters). */
  resume?: string;
  /** A reviewed fleet runbook's JSON (`plan --on … --runbook`): run exactly as reviewed. */
  runbook?: string;
  yes?: boolean;
  json?: boolean;
  deadline?: string;
  sshConfig?: string;
  /** --goal (NixOS): every selected host deployed with it; each must be NixOS, or nothing starts. */
  goal?: string;
}

export async function applyFleetCommand(opts: FleetApplyOptions): Promise<void> {
  const parallel = fleetCount('--parallel', opts.parallel, 1);
  const canary = fleetCount('--canary', opts.canary, 0);
  const deadlineSec = parseDeadline(opts.deadline);
  const goal = parseGoal(opts.goal);
  const redactor = screenRedactor();
  // Steps are approved per wave (cliWaveApprover); this approver only answers what a wave did not cover.
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: false }, deadlineSec, quiet: true });
  try {
    const resume = opts.resume ? deps.records.rollout(opts.resume) : undefined;
    if (opts.resume && !resume) throw new UserError(`--resume ${opts.resume}: no rollout with that id in ${deps.records.path} (\`clawdeploy history\` lists rollouts)`);
    if (resume?.outcome === 'running') throw new UserError(`rollout ${resume.id.slice(0, 8)} is running right now (pid ${resume.pid} on ${resume.machine})`);
    if (resume?.outcome === 'succeeded') throw new UserError(`rollout ${resume.id.slice(0, 8)} already succeeded: nothing to resume`);
    const runbook = opts.runbook ? parseFleetRunbook(readUserFile(opts.runbook), opts.runbook) : null;
    // Each host of a runbook is planned again, and applied, with the goal it was reviewed with.
    const otherGoal = runbook && goal ? Object.entries(runbook.plans).filter(([, p]) => (p.goal ?? 'switch') !== goal) : [];
    if (otherGoal.length) throw new UserError(`--goal ${goal}: the runbook ${opts.runbook} was made with ${otherGoal.map(([n, p]) => `goal ${p.goal ?? 'switch'} for ${n}`).join(', ')}`);
    const flakeDir = resume ? resume.flakeDir : runbook ? runbook.flakeDir : resolve(opts.flake);
    const inventory = (await loadInventory(flakeDir)).hosts;
    let hosts;
    if (runbook) {
      const names = Object.keys(runbook.plans);
      const gone = names.filter((n) => !inventory.some((h) => h.name === n));
      if (gone.length) throw new UserError(`--runbook ${opts.runbook}: refused: ${gone.join(', ')} no longer in the inventory of ${flakeDir}`, ExitCode.blocked);
      hosts = inventory.filter((h) => names.includes(h.name));
    } else if (resume) {
      const names = new Set(resume.hosts.map((h) => h.host));
      hosts = inventory.filter((h) => names.has(h.name));
      const gone = [...names].filter((n) => !inventory.some((h) => h.name === n));
      if (gone.length) throw new UserError(`rollout ${resume.id.slice(0, 8)}: ${gone.join(', ')} no longer in the inventory of ${flakeDir}`);
    } else {
      if (!opts.on) throw new UserError('apply: name a HOST, or select hosts with --on SELECTOR (names, globs, @tags)');
      hosts = selectHosts(opts.on, inventory);
    }
    // Before anything runs (runRollout says it again for its other callers).
    assertFleetGoal(goal, hosts);
    const selector = resume?.selector ?? runbook?.selector ?? opts.on!;
    // In a terminal: the fleet view shows the rollout and asks each wave; else the printer (and --json: nothing).
    const view = !opts.json && process.stdout.isTTY && process.stdin.isTTY ? (await (await import('../loadUi.js')).loadUi()).openFleetView({ selector, yes: Boolean(opts.yes) }) : null;
    const r = await runRollout(
      {
        flakeDir,
        selector,
        hosts,
        parallel: parallel ?? runbook?.options.parallel ?? resume?.options.parallel ?? 10,
        ...(canary !== undefined ? { canary } : runbook ? { canary: runbook.options.canary } : {}),
        ...(runbook && opts.runbook ? { reviewed: { file: opts.runbook, waves: runbook.waves, plans: runbook.plans } } : {}),
        rollbackAll: opts.rollbackAll ?? resume?.options.rollbackAll ?? false,
        skipUnreachable: opts.skipUnreachable ?? resume?.options.skipUnreachable ?? false,
        preApproved: Boolean(opts.yes),
        ...(goal ? { goal } : {}),
        redact: (s) => redactor.redact(s),
        ...(resume ? { resume } : {}),
      },
      {
        ...deps,
        rollouts: rolloutLedgerFor(deps.records),
        // A reviewed runbook approved its waves when it was reviewed; they are still shown as they run.
        approveWave: runbook ? async () => ({ approved: true, approver: `runbook ${runbook.hash.slice(0, 19)}` }) : (view?.approveWave ?? cliWaveApprover({ yes: Boolean(opts.yes) })),
      },
      opts.json ? () => undefined : (view?.on ?? printRolloutEvents()),
    ).finally(() => view?.close());
    out(redactor.redact(opts.json ? rolloutJson(r) : renderRollout(r)));
    process.exitCode = r.exitCode;
  } finally {
    deps.close();
  }
}
