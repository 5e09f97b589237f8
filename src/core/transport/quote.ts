// Turns an argv into the one command string ssh hands to the remote login shell (`$SHELL -c <string>`).
// Every word is POSIX single-quoted, so nothing in it is expanded; this assumes a POSIX login shell
// (sh, bash, dash, zsh), not csh or fish.
import { UserError } from '../errors.js';

/**
 * The remote `$SHELL -c` gets the whole command as one argument, and execve caps one argument at
 * 128 KiB (MAX_ARG_STRLEN); 1 KiB is left for the transport's own wrapper.
 */
export const MAX_REMOTE_COMMAND_BYTES = 127 * 1024;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `['printf', '%s', "it's"]` -> `'printf' '%s' 'it'\''s'`; with env: `'env' 'A=1' 'printf' …`.
 * Throws on what no quoting can carry: NUL bytes, an empty argv, a bad variable name, an over-long command.
 */
export function toRemoteCommand(argv: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  if (argv.length === 0) throw new UserError('cannot run an empty command');
  const words: string[] = [];
  const names = Object.keys(env);
  if (names.length > 0) {
    // `env` would read a leading `-…` as an option and `X=…` as one more assignment.
    const cmd = argv[0]!;
    if (cmd.startsWith('-') || cmd.includes('=')) {
      throw new UserError(`cannot pass environment to a command named ${JSON.stringify(cmd)}`);
    }
    words.push('env');
    for (const name of names) {
      if (!ENV_NAME.test(name)) throw new UserError(`bad environment variable name ${JSON.stringify(name)}`);
      if (env[name]!.includes('\0')) throw new UserError(`environment variable ${name} contains a NUL byte, which ssh cannot carry`);
      words.push(`${name}=${env[name]}`);
    }
  }
  argv.forEach((w, i) => {
    if (w.includes('\0')) throw new UserError(`argv[${i}] contains a NUL byte, which ssh cannot carry`);
  });
  words.push(...argv);
  const command = words.map((w) => `'${w.replaceAll("'", `'\\''`)}'`).join(' ');
  const bytes = Buffer.byteLength(command);
  if (bytes > MAX_REMOTE_COMMAND_BYTES) {
    throw new UserError(`command is too long for ssh (${bytes} bytes > ${MAX_REMOTE_COMMAND_BYTES}); pass large data on stdin`);
  }
  return command;
}
