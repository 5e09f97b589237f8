// A rollout in the terminal: each host's lines prefixed with its name (hosts of a wave run at
// once), waves and outcomes as they happen, and a table of every host at the end.
import type { RolloutEvent, RolloutResult } from '../core/fleet/rollout.js';
import type { DeployEvent } from '../core/deploy/apply.js';
import { progressPrinter } from './progress.js';
import { err } from './output.js';
import { table } from './table.js';

export function printRolloutEvents(): (e: RolloutEvent) => void {
  const perHost = new Map<string, (e: DeployEvent) => void>();
  /** Hosts a NixOS `boot` deploy left for the next boot: deployed, not validated. */
  const nextBoot = new Set<string>();
  const printerOf = (host: string) => {
    let p = perHost.get(host);
    if (!p) perHost.set(host, (p = progressPrinter((line) => err(`[${host}] ${line}`))));
    return p;
  };
  return (e) => {
    if (e.type === 'reachable') {
      if (!e.ok) err(`clawdeploy: ${e.reason}`);
    } else if (e.type === 'planned') {
      const g = e.plan.generations;
      err(`plan ${e.host}: ${e.plan.status}${e.plan.status === 'ready' ? `, generation ${g.current?.number ?? 'none'} -> ${g.next?.number ?? '?'}` : ''}`);
    } else if (e.type === 'wave') {
      if (e.state === 'running') err(`== ${e.wave.label}: ${e.wave.hosts.join(', ')}`);
      else if (e.state === 'passed') {
        const boot = e.wave.hosts.filter((h) => nextBoot.has(h));
        err(`== ${e.wave.label}: ${boot.length ? `every host done; set for the next boot, not validated: ${boot.join(', ')}` : 'every host validated'}`);
      } else if (e.state === 'failed') err(`== ${e.wave.label}: FAILED`);
      else if (e.state === 'rolling-back') err(`== rolling back the failed wave`);
    } else if (e.type === 'host') {
      if (e.outcome === 'applied-for-next-boot') nextBoot.add(e.host);
      if (e.outcome !== 'running') err(`[${e.host}] ${e.outcome}${e.detail ? `: ${e.detail}` : ''}`);
    } else {
      const h = e.event;
      if (h.type === 'deploy') printerOf(h.host)(h.event);
      else if (h.type === 'notice') err(`[${h.host}] ${h.text}`);
      else if (h.type === 'gates') for (const g of h.gates) err(`[${h.host}] gate ${g.ok ? 'ok  ' : 'FAIL'} ${g.gate}: ${g.message}`);
    }
  };
}

export function renderRollout(r: RolloutResult): string {
  const gen = (g: { number: number } | null) => (g ? String(g.number) : '-');
  // A boot deploy's generation is the boot default, not what runs: said in its AFTER column.
  const rows = r.hosts.map((h) => [
    h.host,
    // Waves count from 1, as their labels do (the JSON keeps the 0-based index).
    h.wave < 0 ? '-' : String(h.wave + 1),
    gen(h.before),
    `${gen(h.after)}${h.outcome === 'applied-for-next-boot' ? ' (next boot)' : ''}`,
    h.outcome,
    (h.detail ?? '').split('\n')[0]!.slice(0, 100),
  ]);
  return [`rollout ${r.id.slice(0, 8)}: ${r.outcome}`, table(['HOST', 'WAVE', 'BEFORE', 'AFTER', 'OUTCOME', 'DETAIL'], rows), r.message].join('\n');
}

export function rolloutJson(r: RolloutResult): string {
  return JSON.stringify({ rollout: r.id, outcome: r.outcome, exitCode: r.exitCode, message: r.message, hosts: r.hosts }, null, 2);
}
