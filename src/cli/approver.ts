// The plain terminal's approver: shows the exact command and asks. Production asks for the
// host name to be typed; `--yes` pre-approves staging only; with no terminal to ask, the
// answer is no (fail closed).
import { createInterface } from 'node:readline/promises';
import type { Approver } from '../core/exec/types.js';
import { screenRedactor } from './redactor.js';

export interface CliApproverOptions {
  /** `--yes`: approve staging steps without asking. Never counts for production. */
  yes: boolean;
  /** A reviewed runbook approves its own steps. */
  runbookHash?: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}

function who(): string {
  return process.env['USER'] ?? process.env['LOGNAME'] ?? 'operator';
}

export function cliApprover(o: CliApproverOptions): Approver {
  const input = o.input ?? process.stdin;
  const output = o.output ?? process.stderr;
  return async (req) => {
    if (o.runbookHash) return { approved: true, approver: `runbook ${o.runbookHash.slice(0, 19)}` };
    if (o.yes && !req.typeHostName) return { approved: true, approver: `${who()} (--yes)` };
    if (!(input as { isTTY?: boolean }).isTTY) {
      output.write(`not approved: no terminal to ask${req.typeHostName ? ' (production needs the host name typed, or a reviewed runbook)' : ' (use --yes for a staging host)'}\n`);
      return { approved: false, approver: 'nobody' };
    }
    const rl = createInterface({ input, output, terminal: true });
    try {
      output.write(screenRedactor().redact(`\n${req.step.reason}\n  ${req.command}\n  (${req.step.risk}; policy: ${req.verdict.reason})\n`));
      if (req.typeHostName) {
        const answer = await rl.question(`production: type the host name (${req.host.name}) to run this, anything else to stop: `);
        return answer.trim() === req.host.name ? { approved: true, approver: who() } : { approved: false, approver: who() };
      }
      const answer = await rl.question('run it? [y/N] ');
      return /^y(es)?$/i.test(answer.trim()) ? { approved: true, approver: who() } : { approved: false, approver: who() };
    } finally {
      rl.close();
    }
  };
}
