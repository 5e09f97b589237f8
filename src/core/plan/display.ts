// How a step's argv is shown to a person: a command they could paste, quoted only where needed.
// This is display only: what runs is always the argv itself, never this string.
import type { Step } from './schema.js';
import { parseSshTarget } from '../transport/target.js';

// '#' starts a comment only at the start of a word.
const SAFE = /^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*$/;

export function quoteWord(w: string): string {
  return w !== '' && SAFE.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

export function displayArgv(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

/** The command as run from the deploying machine: host steps of an ssh host go through ssh. */
export function displayStep(step: Pick<Step, 'argv' | 'on'>, target: string | null): string {
  if (step.on === 'local' || !target || target === 'local') return displayArgv(step.argv);
  const t = parseSshTarget(target);
  const dest = t.user ? `${t.user}@${t.host}` : t.host;
  return `ssh ${t.port ? `-p ${t.port} ` : ''}${dest} -- ${displayArgv(step.argv)}`;
}
