// The terminal's approval of a rollout wave: every host of the wave with its exact commands,
// asked once. `--yes` pre-approves a staging wave; a wave with a production host needs those
// host names typed; with no terminal to ask, the answer is no (fail closed).
import { createInterface } from 'node:readline/promises';
import type { WaveApprover } from '../core/fleet/rollout.js';
import { waveTitle } from '../core/fleet/waves.js';
import { displayStep } from '../core/plan/display.js';
import { screenRedactor } from './redactor.js';

function who(): string {
  return process.env['USER'] ?? process.env['LOGNAME'] ?? 'operator';
}

export function cliWaveApprover(o: { yes: boolean; input?: NodeJS.ReadableStream & { isTTY?: boolean }; output?: NodeJS.WritableStream }): WaveApprover {
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stderr;
  return async (req) => {
    const lines = [`\n${waveTitle(req.wave, req.waves)}, rollout ${req.rollout.slice(0, 8)}:`];
    for (const { host, plan } of req.hosts) {
      const g = plan.generations;
      lines.push(`  ${host.name} (${host.environment}, ${host.target}): generation ${g.current?.number ?? 'none'} -> ${g.next?.number ?? '?'}`);
      for (const s of plan.steps.apply) lines.push(`    ${displayStep(s, host.target)}`);
      lines.push(`    then ${plan.steps.validate.length} checks (gateway and every channel); on failure: back to generation ${g.current?.number ?? 'none'}`);
    }
    output.write(screenRedactor().redact(`${lines.join('\n')}\n`));
    const production = req.hosts.filter((h) => h.host.environment === 'production').map((h) => h.host.name);
    if (o.yes && !production.length) return { approved: true, approver: `${who()} (--yes)` };
    if (!input.isTTY) {
      output.write(`not approved: no terminal to ask${production.length ? ' (production needs the host names typed)' : ' (use --yes for staging hosts)'}\n`);
      return { approved: false, approver: 'nobody' };
    }
    const rl = createInterface({ input, output, terminal: true });
    try {
      if (production.length) {
        const answer = await rl.question(`production: type ${production.join(' ')} to run this wave, anything else to stop: `);
        const typed = answer.trim().split(/\s+/).sort().join(' ');
        return { approved: typed === [...production].sort().join(' '), approver: who() };
      }
      const answer = await rl.question('run this wave? [y/N] ');
      return { approved: /^y(es)?$/i.test(answer.trim()), approver: who() };
    } finally {
      rl.close();
    }
  };
}
