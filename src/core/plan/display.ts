// How a step's argv is shown to a person: a command they could paste, quoted only where needed.
// This is display only: what runs is always the argv itself, never this string.
import type { Step } from './schema.js';
import { parseSshTarget } from '../transport/target.js';
import { RPC_ARGV0, TOKEN_LOADER_SCRIPT } from './catalog.js';

// '#' starts a comment only at the start of a word.
const SAFE = /^[A-Za-z0-9_@%+=:,./-][A-Za-z0-9_@%+=:,./#-]*$/;

export function quoteWord(w: string): string {
  return w !== '' && SAFE.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}

export function displayArgv(argv: readonly string[]): string {
  if (argv[0] === RPC_ARGV0) return displayRpc(argv, null);
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
  if (step.argv[0] === RPC_ARGV0) return displayRpc(step.argv, target);
  if (step.on === 'local' || !target || target === 'local') return displayArgv(step.argv);
  const t = parseSshTarget(target);
  const dest = t.user ? `${t.user}@${t.host}` : t.host;
  return `ssh ${t.port ? `-p ${t.port} ` : ''}${dest} -- ${displayArgv(step.argv)}`;
}

/**
 * A gateway RPC step (catalog gatewayRpcArgv) is not a command: clawdeploy makes the call itself
 * over a stream to the host's loopback (ssh -W for an ssh host). Shown as what it does.
 */
function displayRpc(argv: readonly string[], target: string | null): string {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i > 0 ? argv[i + 1] : undefined;
  };
  const url = at('--url') ?? '?';
  const params = at('--params');
  const from = argv.indexOf('--auth-from');
  let via = '';
  if (target && target !== 'local') {
    const t = parseSshTarget(target);
    via = ` via ssh ${t.user ? `${t.user}@` : ''}${t.host}${t.port ? `:${t.port}` : ''}`;
  }
  let auth = '';
  if (from > 0) {
    const [name, format, ...files] = argv.slice(from + 1);
    auth = `, token ${name === 'OPENCLAW_GATEWAY_TOKEN' ? '' : `${name} `}read from ${format === 'envfile' ? 'the environment file ' : ''}${files.map(quoteWord).join(' ')}`;
  }
  return `gateway RPC ${argv[1]}${params && params !== '{}' ? ` ${params}` : ''} at ${url}${via}${auth}`;
}
