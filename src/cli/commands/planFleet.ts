// `clawdeploy plan --on SELECTOR [--runbook FILE.md]`: every selected host's plan, the waves, the
// gates and each wave's rollback; read-only. The runbook's JSON runs later with `apply --runbook`.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';
import { loadInventory } from '../../core/inventory/load.js';
import { selectHosts } from '../../core/fleet/select.js';
import { planFleet, type FleetPlan } from '../../core/fleet/fleetPlan.js';
import { fleetRunbookJson, fleetRunbookMarkdown } from '../../core/fleet/fleetRunbook.js';
import { gateFactsFor } from '../../core/deploy/recordsLedger.js';
import { openRecords } from '../../core/records/index.js';
import { lastDeployedRev } from '../lastDeployedRev.js';
import { screenRedactor } from '../redactor.js';
import { fleetCount } from '../fleetFlags.js';
import { parseGoal } from '../goalFlag.js';
import { sidecarPath } from './plan.js';
import { table } from '../table.js';
import { err, out } from '../output.js';

export interface FleetPlanOptions {
  flake: string;
  on: string;
  parallel?: string;
  canary?: string;
  json?: boolean;
  runbook?: string;
  sshConfig?: string;
  /** --goal (NixOS): every selected host planned with it; each must be NixOS. */
  goal?: string;
}

export function renderFleetPlan(fp: FleetPlan): string {
  const waveOf = (name: string) => fp.waves.findIndex((w) => w.includes(name));
  const rows = fp.hosts.map((h) => {
    const g = h.plan.generations;
    const w = waveOf(h.name);
    const gate = h.gates.filter((x) => !x.ok).map((x) => x.gate);
    return [
      h.name,
      h.plan.host.environment ?? '-',
      // Waves count from 1, as their labels do (the JSON keeps the 0-based index).
      w < 0 ? '-' : w === 0 && fp.options.canary ? 'canary' : String(w + 1),
      h.plan.status,
      h.plan.status === 'ready' ? `${g.current?.number ?? 'none'} -> ${g.next?.number ?? '?'}${h.plan.goal ? ` (${h.plan.goal})` : ''}` : '-',
      gate.length ? `FAIL ${gate.join(', ')}` : h.gates.length ? 'ok' : '-',
    ];
  });
  const lines = [`Fleet plan for ${fp.selector}: ${fp.hosts.length} hosts, ${fp.waves.length} waves`, table(['HOST', 'ENV', 'WAVE', 'STATUS', 'GENERATION', 'GATES'], rows), ''];
  fp.waves.forEach((w, i) =>
    lines.push(
      `${i === 0 && fp.options.canary ? 'canary' : `wave ${i + 1}`}: ${w.join(', ')}; if a host fails: the rollout stops and ${w.length > 1 ? "the wave's hosts go back to their generation before it" : 'it goes back to its generation before'}`,
    ),
  );
  for (const h of fp.hosts) for (const f of h.plan.findings.filter((x) => x.severity === 'block')) lines.push(`BLOCK ${h.name}: ${f.message}`);
  return lines.join('\n');
}

export async function planFleetCommand(opts: FleetPlanOptions): Promise<void> {
  const flakeDir = resolve(opts.flake);
  const redactor = screenRedactor();
  const parallel = fleetCount('--parallel', opts.parallel, 1) ?? 10;
  const canary = fleetCount('--canary', opts.canary, 0);
  const goal = parseGoal(opts.goal);
  const inventory = (await loadInventory(flakeDir)).hosts;
  const hosts = selectHosts(opts.on, inventory);
  // The gates read the records (staging deploys of the revision, drills): read-only.
  const records = openRecords(undefined, { access: 'read' });
  let fp: FleetPlan;
  try {
    fp = await planFleet({
      flakeDir,
      selector: opts.on,
      hosts,
      inventory,
      parallel,
      ...(canary !== undefined ? { canary } : {}),
      ...(goal ? { goal } : {}),
      redact: (s) => redactor.redact(s),
      ...(opts.sshConfig ? { sshConfig: opts.sshConfig } : {}),
      lastDeployedRev,
      gates: gateFactsFor(records),
    });
  } finally {
    records.close();
  }
  if (opts.runbook) {
    const md = resolve(opts.runbook);
    writeFileSync(md, redactor.redact(fleetRunbookMarkdown(fp, flakeDir)));
    writeFileSync(sidecarPath(md), redactor.redact(fleetRunbookJson(fp, flakeDir)));
    err(`fleet runbook written: ${md} (+ ${sidecarPath(md)})`);
  }
  out(redactor.redact(opts.json ? JSON.stringify(fp, null, 2) : renderFleetPlan(fp)));
  if (fp.hosts.some((h) => h.plan.status === 'blocked')) process.exitCode = ExitCode.blocked;
}
