// What `switch-to-configuration dry-activate` says it would do, read from its output (NixOS prints
// it on stderr, one line per kind: "would stop the following units: a.service, b.service"), and
// what that means for the gateway. Pure.
import type { Change, Finding } from '../plan/schema.js';

export interface DryActivation {
  stop: string[];
  /** Changed units it leaves running (restartIfChanged = false). */
  notStopped: string[];
  reload: string[];
  restart: string[];
  start: string[];
  restartSystemd: boolean;
}

const LISTS: ReadonlyArray<[RegExp, keyof Omit<DryActivation, 'restartSystemd'>]> = [
  [/^would stop the following units: (.*)$/, 'stop'],
  [/^would NOT stop the following changed units: (.*)$/, 'notStopped'],
  [/^would reload the following units: (.*)$/, 'reload'],
  [/^would restart the following units: (.*)$/, 'restart'],
  [/^would start the following units: (.*)$/, 'start'],
];

export function parseDryActivation(output: string): DryActivation {
  const out: DryActivation = { stop: [], notStopped: [], reload: [], restart: [], start: [], restartSystemd: false };
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line === 'would restart systemd') out.restartSystemd = true;
    for (const [re, key] of LISTS) {
      const m = re.exec(line);
      if (m)
        out[key].push(
          ...m[1]!
            .split(', ')
            .map((u) => u.trim())
            .filter(Boolean),
        );
    }
  }
  return out;
}

/** "would stop and start openclaw-gateway.service; would reload dbus.service", or that nothing would change. */
export function describeDryActivation(d: DryActivation): string {
  const parts: string[] = [];
  const stopStart = d.stop.filter((u) => d.start.includes(u));
  const only = (list: string[]) => list.filter((u) => !stopStart.includes(u));
  if (stopStart.length) parts.push(`stop and start ${stopStart.join(', ')}`);
  if (only(d.stop).length) parts.push(`stop ${only(d.stop).join(', ')}`);
  if (d.restart.length) parts.push(`restart ${d.restart.join(', ')}`);
  if (only(d.start).length) parts.push(`start ${only(d.start).join(', ')}`);
  if (d.reload.length) parts.push(`reload ${d.reload.join(', ')}`);
  if (d.restartSystemd) parts.push('restart systemd');
  if (d.notStopped.length) parts.push(`leave the changed ${d.notStopped.join(', ')} running`);
  return parts.length ? `activating it would ${parts.join('; ')}` : 'activating it would stop, restart or start no unit';
}

/** The plan's change (the units, as data) and what it means for the gateway unit. */
export function dryActivationFacts(d: DryActivation, unit: string, gatewayRunning: boolean): { changes: Change[]; findings: Finding[] } {
  const service = unit.includes('.') ? unit : `${unit}.service`;
  const touched = [...d.stop, ...d.restart, ...d.start, ...d.reload].includes(service);
  const changes: Change[] = [{ kind: 'generation', summary: `dry-activate: ${describeDryActivation(d)}`, detail: { dryActivate: d } }];
  const findings: Finding[] = [];
  if (touched) findings.push({ code: 'dry-activate-gateway', severity: 'info', message: `activating the new build would restart the gateway (${service})` });
  else if (gatewayRunning)
    findings.push({
      code: 'dry-activate-gateway',
      severity: 'warn',
      message: `activating the new build would not restart the gateway (${service}): it would keep running its current program and config`,
      fix: `if the gateway must pick up this change, give its unit a restart trigger on the config (systemd.services.${unit.replace(/\.service$/, '')}.restartTriggers)`,
    });
  return { changes, findings };
}
