// Where .ci/setup-real-openclaw.sh installed the real OpenClaw (npm `openclaw` with its Node 24):
// used by `clawdeploy demo --real`, the real-gateway tests and the benchmark. The versions are
// the ones clawdeploy is verified against (docs/openclaw-surface.md).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const REAL_OPENCLAW_VERSION = '2026.9.6';
export const REAL_NODE_VERSION = '24.22.3';

export interface RealOpenclaw {
  /** The install directory. */
  dir: string;
  /** Node 24. */
  node: string;
  /** The package's entry point: `node entry …` is the `openclaw` command. */
  entry: string;
  /** A wrapper script running `node entry "$@"`. */
  openclaw: string;
  version: string;
}

/** The same directory the setup script picks. */
export function realOpenclawDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['CLAWDEPLOY_REAL_OPENCLAW_DIR']
    ? env['CLAWDEPLOY_REAL_OPENCLAW_DIR']
    : process.getuid?.() === 0
      ? '/var/cache/clawdeploy/real-openclaw'
      : join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'clawdeploy/real-openclaw');
  return join(base, `openclaw-${REAL_OPENCLAW_VERSION}-node${REAL_NODE_VERSION}`);
}

/** The installed real OpenClaw, or null when the setup script has not run (or did not finish). */
export function findRealOpenclaw(env: NodeJS.ProcessEnv = process.env): RealOpenclaw | null {
  const dir = realOpenclawDir(env);
  if (!existsSync(join(dir, '.complete'))) return null;
  return {
    dir,
    node: join(dir, 'bin/node'),
    entry: join(dir, 'lib/node_modules/openclaw/openclaw.mjs'),
    openclaw: join(dir, 'bin/openclaw'),
    version: REAL_OPENCLAW_VERSION,
  };
}
