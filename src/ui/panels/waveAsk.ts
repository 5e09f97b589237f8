// The question before a rollout wave, as lines: every host of the wave with where it goes (and
// comes back to on failure) and its exact commands, whole (wrapped with a shell continuation,
// never cut), as the CLI's wave approver prints them.
import type { WaveAsk } from '../session/fleetState.js';
import { line, seg, wrapCommand, type Line } from '../lines.js';

export function waveAskLines(ask: WaveAsk, width: number): Line[] {
  const title = `── ${ask.title}, rollout ${ask.rollout.slice(0, 8)} `;
  const out: Line[] = [[seg(title, ask.production.length ? 'bad' : 'warn', true), seg('─'.repeat(Math.max(0, width - title.length)), 'dim')]];
  for (const h of ask.hosts) {
    out.push([
      seg(`  ${h.name}`, undefined, true),
      seg(` (${h.environment}, ${h.target})`, h.environment === 'production' ? 'warn' : 'dim'),
      seg(`: generation ${h.from ?? 'none'} -> ${h.to ?? '?'}`),
    ]);
    for (const c of h.commands) for (const l of wrapCommand(`$ ${c}`, width, '    ')) out.push(line(l, undefined, true));
    out.push(line(`    then ${h.checks} checks (gateway, every channel); on failure: back to generation ${h.from ?? 'none'}`, 'dim'));
  }
  return out;
}
