// Parses `ssh://[user@]host[:port]`: the inventory's Target form. Strict so that no part can
// be read by ssh as an option (`-oProxyCommand=…`) or carry shell syntax.
import { UserError } from '../errors.js';

export interface SshTarget {
  user?: string;
  host: string;
  port?: number;
}

const TARGET = /^ssh:\/\/(?:([a-z_][a-z0-9_.-]{0,31})@)?([A-Za-z0-9][A-Za-z0-9.-]{0,252})(?::(\d{1,5}))?$/;

export function parseSshTarget(target: string): SshTarget {
  const m = TARGET.exec(target);
  const port = m?.[3] !== undefined ? Number(m[3]) : undefined;
  if (!m || (port !== undefined && (port < 1 || port > 65535))) {
    throw new UserError(`bad ssh target '${target}': expected ssh://[user@]host[:port]`);
  }
  return { ...(m[1] ? { user: m[1] } : {}), host: m[2]!, ...(port !== undefined ? { port } : {}) };
}

/** `user@host` or `host`: what ssh and nix store URLs take as the destination. */
export function destination(t: SshTarget): string {
  return t.user ? `${t.user}@${t.host}` : t.host;
}
