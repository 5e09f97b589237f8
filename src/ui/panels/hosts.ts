// The host picker: environment, and per host (read in the background) generation, gateway
// health and drift; "…" until known.
import type { HostRow } from '../session/state.js';
import { line, seg, type Line } from '../lines.js';

const known = (v: string | null) => v ?? '…';

export function hostLines(hosts: HostRow[], selected: number): Line[] {
  if (!hosts.length) return [line('Reading the inventory…', 'dim')];
  const out: Line[] = [
    [seg('  HOST'.padEnd(22), 'dim', true), seg('ENV'.padEnd(12), 'dim', true), seg('GEN'.padEnd(6), 'dim', true), seg('GATEWAY'.padEnd(18), 'dim', true), seg('DRIFT', 'dim', true)],
  ];
  hosts.forEach((h, i) => {
    const cur = i === selected;
    const health = known(h.health);
    out.push([
      seg(`${cur ? '> ' : '  '}${h.name}`.padEnd(22), cur ? 'accent' : undefined, cur),
      seg(h.environment.padEnd(12), h.environment === 'production' ? 'warn' : undefined),
      seg(known(h.generation).padEnd(6)),
      seg(health.padEnd(18), health.startsWith('up') ? 'ok' : h.health ? 'bad' : 'dim'),
      seg(known(h.drift), h.drift && h.drift !== 'none' ? 'bad' : h.drift ? 'ok' : 'dim'),
    ]);
  });
  return out;
}
