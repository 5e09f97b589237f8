// Running a host command as the profile's owner (deploy-rs's `user` and `sudo`): the argv gains the
// sudo command, made non-interactive (nobody can type a password over a non-tty ssh, so a prompt
// would hang), the user, then the command. Always an argv: the sudo string is split on spaces.
import type { Host } from '../inventory/schema.js';

/** deploy-rs's default `sudo`. */
export const DEFAULT_SUDO = 'sudo -u';

/** deploy-rs's `sudo` string as argv: split on spaces, never given to a shell. */
export function sudoArgv(command: string): string[] {
  return command.trim().split(/ +/);
}

/** sudo and doas take -n: refuse at once instead of asking for a password. */
function nonInteractive(sudo: readonly string[]): string[] {
  const [cmd, ...rest] = sudo;
  const base = cmd?.split('/').pop();
  return cmd !== undefined && (base === 'sudo' || base === 'doas') && !rest.includes('-n') ? [cmd, '-n', ...rest] : [...sudo];
}

/** The argv run as the profile's owner: unchanged when the ssh user owns it. */
export function asProfileUser(host: Pick<Host, 'runAs'>, argv: readonly string[]): string[] {
  return host.runAs ? [...nonInteractive(host.runAs.sudo), host.runAs.user, ...argv] : [...argv];
}

/**
 * deploy-rs's rule: sudo only when `user` is set and is not the ssh user (`sshUser`, else who runs
 * the deploy). `sudo` is its command string (default "sudo -u").
 */
export function runAsFor(sshUser: string, user: string | null | undefined, sudo?: string | null): Host['runAs'] {
  return user && user !== sshUser ? { user, sudo: sudoArgv(sudo ?? DEFAULT_SUDO) } : undefined;
}

/** Who logs in to a target: its user, else ssh's default (the local user). */
export function loginUser(target: string): string {
  return (target === 'local' ? undefined : target.match(/^ssh:\/\/([^@]+)@/)?.[1]) ?? process.env['USER'] ?? 'root';
}

const REFUSED =
  /^(?:sudo: (?:a password is required|a terminal is required|no tty present)|sorry, user .* is not allowed to execute|.* is not in the sudoers file|doas: (?:authentication failed|a password is required|operation not permitted))/im;
const MISSING = /(?:^|: )(?:sudo|doas): (?:command )?not found/im;

/**
 * One line naming the host when a command run through `sudo` was refused (no NOPASSWD rule) or
 * sudo is missing; null for any other failure.
 */
export function sudoRefusal(host: Pick<Host, 'name' | 'target' | 'runAs'>, stderr: string): string | null {
  if (!host.runAs) return null;
  const sudo = host.runAs.sudo.join(' ');
  if (MISSING.test(stderr)) return `host '${host.name}': '${host.runAs.sudo[0]}' is not installed there, and the profile belongs to '${host.runAs.user}' (the \`sudo\` setting "${sudo}")`;
  const line = REFUSED.exec(stderr)?.[0]?.trim();
  if (!line) return null;
  return `host '${host.name}': '${loginUser(host.target)}' may not run commands as '${host.runAs.user}' without a password (${line}); add a NOPASSWD sudoers rule for it (README: "A non-root deploy user")`;
}
