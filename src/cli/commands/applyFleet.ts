// `clawdeploy apply --on SELECTOR`: a health-gated rollout over the selected hosts (see
// core/fleet/rollout.ts), or `--resume ROLLOUT` to continue one that stopped or was interrupted.
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { loadInventory } from '../../core/inventory/load.js';
import { selectHosts } from '../../core/fleet/select.js';
import { runRollout } from '../../core/fleet/rollout.js';
import { rolloutLedgerFor } from '../../core/fleet/rolloutLedger.js';
import { parseDeadline } from '../deadline.js';
import { openCliDeps } from '../deps.js';
import { screenRedactor } from '../redactor.js';
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
  yes?: boolean;
  json?: boolean;
  deadline?: string;
  sshConfig?: string;
}

function count(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > 1000) throw new UserError(`${flag} ${value}: expected a whole number from ${min} to 1000`);
  return n;
}

export async function applyFleetCommand(opts: FleetApplyOptions): Promise<void> {
  const parallel = count('--parallel', opts.parallel, 1);
  const canary = count('--canary', opts.canary, 0);
  const deadlineSec = parseDeadline(opts.deadline);
  const redactor = screenRedactor();
  // Steps are approved per wave (cliWaveApprover); this approver only answers what a wave did not cover.
  const deps = openCliDeps({ sshConfig: opts.sshConfig, approver: { yes: false }, deadlineSec, quiet: true });
  try {
    const resume = opts.resume ? deps.records.rollout(opts.resume) : undefined;
    if (opts.resume && !resume) throw new UserError(`--resume ${opts.resume}: no rollout with that id in ${deps.records.path} (\`clawdeploy history\` lists rollouts)`);
    if (resume?.outcome === 'running') throw new UserError(`rollout ${resume.id.slice(0, 8)} is running right now (pid ${resume.pid} on ${resume.machine})`);
    if (resume?.outcome === 'succeeded') throw new UserError(`rollout ${resume.id.slice(0, 8)} already succeeded: nothing to resume`);
    const flakeDir = resume ? resume.flakeDir : resolve(opts.flake);
    const inventory = (await loadInventory(flakeDir)).hosts;
    let hosts;
    if (resume) {
      const names = new Set(resume.hosts.map((h) => h.host));
      hosts = inventory.filter((h) => names.has(h.name));
      const gone = [...names].filter((n) => !inventory.some((h) => h.name === n));
      if (gone.length) throw new UserError(`rollout ${resume.id.slice(0, 8)}: ${gone.join(', ')} no longer in the inventory of ${flakeDir}`);
    } else {
      if (!opts.on) throw new UserError('apply: name a HOST, or select hosts with --on SELECTOR (names, globs, @tags)');
      hosts = selectHosts(opts.on, inventory);
    }
    const r = await runRollout(
      {
        flakeDir,
        selector: resume?.selector ?? opts.on!,
        hosts,
        parallel: parallel ?? resume?.options.parallel ?? 10,
        ...(canary !== undefined ? { canary } : {}),
        rollbackAll: opts.rollbackAll ?? resume?.options.rollbackAll ?? false,
        skipUnreachable: opts.skipUnreachable ?? resume?.options.skipUnreachable ?? false,
        preApproved: Boolean(opts.yes),
        redact: (s) => redactor.redact(s),
        ...(resume ? { resume } : {}),
      },
      { ...deps, rollouts: rolloutLedgerFor(deps.records), approveWave: cliWaveApprover({ yes: Boolean(opts.yes) }) },
      opts.json ? () => undefined : printRolloutEvents(),
    );
    out(redactor.redact(opts.json ? rolloutJson(r) : renderRollout(r)));
    process.exitCode = r.exitCode;
  } finally {
    deps.close();
  }
}
