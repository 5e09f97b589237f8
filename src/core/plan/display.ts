// How a step's argv is shown to a person: a command they could paste, quoted only where needed.
// This is display only: what runs is always the argv itself, never this string.
import type { Step } from './schema.js';
import { parseSshTarget } from '../transport/target.js';
import { TOKEN_LOADER_SCRIPT } from './catalog.js';

// '#' starts a comment only at the start of a word.
const SAFE = /^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*$/;

export function quoteWord(w: string): string {
  return w !== '' && SAFE.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

export function displayArgv(argv: readonly string[]): string {
  const token = tokenLoader(argv);
  if (token) return `${token.prefix} ${displayArgv(token.rest)}`;
  return argv.map(quoteWord).join(' ');
}

/**
 * A CLI check that loads the gateway token on the host runs a constant loader script (see
 * TOKEN_LOADER_SCRIPT); a person reads it as the shell equivalent, `NAME="$(cat FILE)" command`.
 */
function tokenLoader(argv: readonly string[]): { prefix: string; rest: readonly string[] } | null {
  if (argv[0] !== 'sh' || argv[1] !== '-c' || argv[2] !== TOKEN_LOADER_SCRIPT) return null;
  const end = argv.indexOf('--', 6);
  if (end < 0) return null;
  const [name, format] = [argv[4]!, argv[5]!];
  const files = argv.slice(6, end).map(quoteWord);
  const read = format === 'envfile' ? `sed -n ${quoteWord(`s/^${name}=//p`)} ${files.join(' ')}` : `cat ${files.join(' ')}`;
  const names = name === 'OPENCLAW_GATEWAY_TOKEN' ? [name] : [name, 'OPENCLAW_GATEWAY_TOKEN'];
  return { prefix: names.map((n) => `${n}="$(${read})"`).join(' '), rest: argv.slice(end + 1) };
}

/** The command as run from the deploying machine: host steps of an ssh host go through ssh. */
export function displayStep(step: Pick<Step, 'argv' | 'on'>, target: string | null): string {
  if (step.on === 'local' || !target || target === 'local') return displayArgv(step.argv);
  const t = parseSshTarget(target);
  const dest = t.user ? `${t.user}@${t.host}` : t.host;
  return `ssh ${t.port ? `-p ${t.port} ` : ''}${dest} -- ${displayArgv(step.argv)}`;
}
